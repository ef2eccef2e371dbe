// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

package cn.jiceng;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.jiceng.v1.Case;
import cn.jiceng.v1.RoutingDecision;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import com.sun.jna.Native;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The binding's edges: read-only output buffers, how the library is found, how a snapshot file
 * that cannot be read is reported, and how much native scratch memory a thread keeps.
 */
class BoundaryTest {
  private static Case routedCase(Engine engine) throws Exception {
    for (Case c : Samples.cases()) {
      try {
        engine.route(c);
        return c;
      } catch (JicengException e) {
        // an error case of the sample; take the next
      }
    }
    throw new AssertionError("no sample case routes");
  }

  // ---- routeInto never writes into a read-only buffer ----

  @Test
  void routeIntoRefusesAReadOnlyDecisionBuffer(@TempDir Path dir) throws Exception {
    try (Engine engine = Engine.sample()) {
      byte[] c = routedCase(engine).toByteArray();
      ByteBuffer in = ByteBuffer.allocateDirect(c.length);
      in.put(c).flip();

      ByteBuffer view = ByteBuffer.allocateDirect(4096).asReadOnlyBuffer();
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> engine.routeInto(in, view, 0));
      assertTrue(e.getMessage().contains("decision buffer is read-only"), e.getMessage());

      // A read-only file mapping: writing through it would crash the JVM or change the file.
      Path file = dir.resolve("decision.bin");
      byte[] zeros = new byte[4096];
      Files.write(file, zeros);
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
        MappedByteBuffer mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, zeros.length);
        e = assertThrows(IllegalArgumentException.class, () -> engine.routeInto(in, mapped, 0));
        assertTrue(e.getMessage().contains("read-only"), e.getMessage());
      }
      assertArrayEquals(zeros, Files.readAllBytes(file));

      // The case buffer is only read: a read-only one is fine.
      ByteBuffer out = ByteBuffer.allocateDirect(4096);
      int n = engine.routeInto(in.asReadOnlyBuffer(), out, 0);
      byte[] got = new byte[n];
      out.get(got);
      assertArrayEquals(engine.route(c, 0), got);
    }
  }

  // ---- the library is loaded by its SONAME ----

  /** Run in a JVM of its own: prints the loaded library's ABI version and the sample's name. */
  static final class Probe {
    public static void main(String[] args) throws Exception {
      try (Engine engine = Engine.sample()) {
        String name = engine.info().getMeta().getId();
        System.out.println("abi=" + Jiceng.abiVersion() + " name=" + name);
      }
    }
  }

  static String jarOf(Class<?> c) throws Exception {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }

  /** Runs {@link Probe} with {@code -Djna.library.path=dir} and no {@code jiceng.library}. */
  private static String[] probe(Path dir) throws Exception {
    return probe(dir, "-Djna.library.path=" + dir);
  }

  /** Runs {@link Probe} in {@code workDir} with the JVM option {@code property}. */
  private static String[] probe(Path workDir, String property) throws Exception {
    String classPath =
        String.join(
            File.pathSeparator,
            jarOf(BoundaryTest.class),
            jarOf(Engine.class),
            jarOf(Native.class),
            jarOf(Message.class));
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                property,
                "-cp",
                classPath,
                Probe.class.getName())
            .directory(workDir.toFile())
            .redirectErrorStream(true);
    pb.environment().remove("LD_LIBRARY_PATH");
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the probe JVM did not finish");
    return new String[] {Integer.toString(p.exitValue()), output};
  }

  @Test
  void theLibraryIsFoundByItsSonameBesideANewerAbi(@TempDir Path dir) throws Exception {
    String library = System.getProperty("jiceng.library");
    Assumptions.assumeTrue(library != null, "run with -Djiceng.library (as ctest does)");
    assertEquals("libjiceng.so.1", CApi.SONAME);
    Files.copy(Path.of(library), dir.resolve("libjiceng.so.1"));
    // A later ABI installed beside it, which this binding cannot use: a bare "jiceng" lookup
    // would pick the highest libjiceng.so.N.
    Files.write(
        dir.resolve("libjiceng.so.2"),
        "not a library of ABI 1".getBytes(StandardCharsets.US_ASCII));
    String[] run = probe(dir);
    assertEquals("0", run[0], run[1]);
    assertTrue(run[1].contains("abi=1 name="), run[1]);
  }

  @Test
  void aMissingLibraryIsNamedInTheError(@TempDir Path dir) throws Exception {
    String[] run = probe(dir);
    Assumptions.assumeFalse(run[0].equals("0"), "a libjiceng.so.1 is installed on this system");
    assertTrue(run[1].contains("cannot load libjiceng.so.1"), run[1]);
    assertTrue(run[1].contains("-Djiceng.library"), run[1]);
  }

  @Test
  void aRelativeLibraryPathIsTakenFromTheWorkingDirectory(@TempDir Path dir) throws Exception {
    String library = System.getProperty("jiceng.library");
    Assumptions.assumeTrue(library != null, "run with -Djiceng.library (as ctest does)");
    Path work = Files.createDirectory(dir.resolve("work"));
    Files.copy(Path.of(library), work.resolve("libjiceng.so.1"));
    String[] run = probe(work, "-Djiceng.library=./libjiceng.so.1");
    assertEquals("0", run[0], run[1]);
    assertTrue(run[1].contains("abi=1 name="), run[1]);

    // Up and across, to the build's own library.
    Path up = work.relativize(Path.of(library).toAbsolutePath());
    assertTrue(up.toString().startsWith("../"), up.toString());
    run = probe(work, "-Djiceng.library=" + up);
    assertEquals("0", run[0], run[1]);
    assertTrue(run[1].contains("abi=1 name="), run[1]);
  }

  @Test
  void aLibraryFileThatCannotBeLoadedIsNamedInTheError(@TempDir Path dir) throws Exception {
    String[] run = probe(dir, "-Djiceng.library=./lib/libjiceng.so.1");
    assertNotEquals("0", run[0], run[1]);
    String expected = "jiceng: cannot load " + dir.resolve("lib/libjiceng.so.1");
    assertTrue(run[1].contains(expected + " (-Djiceng.library=./lib/libjiceng.so.1): "), run[1]);
    assertFalse(run[1].contains("lib./"), run[1]);

    Files.write(dir.resolve("libjiceng.so.1"), "not a library".getBytes(StandardCharsets.US_ASCII));
    run = probe(dir, "-Djiceng.library=libjiceng.so.1/../libjiceng.so.1");
    assertNotEquals("0", run[0], run[1]);
    assertTrue(run[1].contains("jiceng: cannot load " + dir.resolve("libjiceng.so.1")), run[1]);
  }

  // ---- snapshot files that cannot be read ----

  @Test
  void aMissingSnapshotFileIsNotFound(@TempDir Path dir) {
    Path missing = dir.resolve("missing.jcsnap");
    JicengException e = assertThrows(JicengException.class, () -> Engine.loadSnapshot(missing));
    assertEquals(Status.NOT_FOUND, e.status());
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("no such file"), e.getMessage());
  }

  @Test
  void aPathThatIsADirectoryIsInvalidForBothLoads(@TempDir Path dir) {
    // The same code whether Java reads the file (a snapshot) or the library does (a dataset).
    JicengException e = assertThrows(JicengException.class, () -> Engine.loadSnapshot(dir));
    assertEquals(Status.INVALID_ARGUMENT, e.status());
    assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("Is a directory"), e.getMessage());
    e = assertThrows(JicengException.class, () -> Engine.load(dir));
    assertEquals(Status.INVALID_ARGUMENT, e.status());
    assertTrue(e.getMessage().contains("Is a directory"), e.getMessage());
  }

  @Test
  void aDatasetOnAnotherFileSystemIsReadThroughIt(@TempDir Path dir) throws Exception {
    // A zip file system: the library cannot open its paths, so Java reads the bytes.
    Path zip = dir.resolve("datasets.zip");
    try (FileSystem fs = FileSystems.newFileSystem(URI.create("jar:" + zip.toUri()), Map.of("create", "true"))) {
      Path inside = fs.getPath("/luhe.binpb");
      Files.write(inside, Jiceng.sampleDatasetBytes());
      try (Engine engine = Engine.load(inside);
          Engine sample = Engine.sample()) {
        assertArrayEquals(sample.saveSnapshot(), engine.saveSnapshot());
      }
      JicengException e =
          assertThrows(JicengException.class, () -> Engine.load(fs.getPath("/missing.json")));
      assertEquals(Status.NOT_FOUND, e.status());
      assertTrue(e.getMessage().contains("/missing.json"), e.getMessage());
    }
    assertEquals(DatasetFormat.TEXT, Engine.formatOfName(Path.of("a/LUHE.TEXTPROTO")));
    assertEquals(DatasetFormat.JSON, Engine.formatOfName(Path.of("luhe.json")));
    assertEquals(DatasetFormat.BINARY, Engine.formatOfName(Path.of("luhe.binpb")));
    assertEquals(DatasetFormat.AUTO, Engine.formatOfName(Path.of("luhe.data")));
  }

  @Test
  void anUnreadableSnapshotFileIsPermissionDenied(@TempDir Path dir) throws Exception {
    Path locked = dir.resolve("locked.jcsnap");
    try (Engine sample = Engine.sample()) {
      Files.write(locked, sample.saveSnapshot());
    }
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
    Assumptions.assumeFalse(
        Files.isReadable(locked), "this user reads any file (root): no permission to deny");
    JicengException e = assertThrows(JicengException.class, () -> Engine.loadSnapshot(locked));
    assertEquals(Status.PERMISSION_DENIED, e.status());
    assertTrue(e.getMessage().contains(locked.toString()), e.getMessage());
  }

  @Test
  void readFailuresMapToTheMatchingStatus() {
    Path p = Path.of("/data/engine.jcsnap");
    JicengException denied =
        Engine.readFailure("snapshot", p, new AccessDeniedException(p.toString()));
    assertEquals(Status.PERMISSION_DENIED, denied.status());
    assertEquals(
        "cannot read the snapshot /data/engine.jcsnap: permission denied", denied.getMessage());
    JicengException io =
        Engine.readFailure("snapshot", p, new IOException("Input/output error"));
    assertEquals(Status.UNAVAILABLE, io.status());
    assertEquals(
        "cannot read the snapshot /data/engine.jcsnap: Input/output error", io.getMessage());
    assertTrue(io.getCause() instanceof IOException);
  }

  // ---- per-thread scratch memory stays bounded ----

  @Test
  void largeMessagesDoNotStayInTheThreadsScratch() throws Exception {
    try (Engine engine = Engine.sample()) {
      Case c = routedCase(engine);
      RoutingDecision want = engine.route(c);
      byte[] text = new byte[3 * Scratch.RETAINED_BYTES];
      Arrays.fill(text, (byte) 'x');
      Case big = c.toBuilder().setFreeText(ByteString.copyFrom(text)).build();
      assertTrue(big.getSerializedSize() > Scratch.RETAINED_BYTES);

      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<int[]>> results = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          results.add(
              pool.submit(
                  () -> {
                    for (int i = 0; i < 3; i++) {
                      assertEquals(want, engine.route(big));
                      assertArrayEquals(
                          engine.route(c.toByteArray(), 0), engine.route(big.toByteArray(), 0));
                    }
                    Scratch s = Scratch.get();
                    return new int[] {s.retainedInputCapacity(), s.retainedOutputCapacity()};
                  }));
        }
        for (Future<int[]> f : results) {
          int[] kept = f.get();
          assertTrue(kept[0] <= Scratch.RETAINED_BYTES, "input buffer kept: " + kept[0]);
          assertTrue(kept[1] <= Scratch.RETAINED_BYTES, "output buffer kept: " + kept[1]);
        }
      } finally {
        pool.shutdown();
      }
      // Ordinary sizes still reuse one buffer.
      assertEquals(want, engine.route(c));
      assertTrue(Scratch.get().retainedInputCapacity() >= c.getSerializedSize());
    }
  }

  @Test
  void aReusableBufferKeepsOnlySizesUpToItsLimit() {
    Scratch.Reusable r = new Scratch.Reusable(64, 1024);
    long small = r.reserve(64);
    assertEquals(small, r.reserve(10));
    long grown = r.reserve(600);
    assertEquals(1024, r.retainedCapacity());
    r.release(); // nothing to free: the kept buffer stays
    assertEquals(grown, r.address());

    long large = r.reserve(5000);
    assertNotEquals(grown, large);
    assertTrue(r.capacity() >= 5000);
    assertEquals(5000, r.buffer().capacity());
    r.buffer().put(4999, (byte) 7); // writable to its end
    long larger = r.reserve(9000); // a retry within the same call: the 5000 are freed
    assertTrue(r.capacity() >= 9000);
    assertNotEquals(0, larger);
    r.release();
    assertEquals(grown, r.address());
    assertEquals(1024, r.capacity());
    assertEquals(1024, r.retainedCapacity());
  }
}
