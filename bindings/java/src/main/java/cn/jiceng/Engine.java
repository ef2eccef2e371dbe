// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

package cn.jiceng;

import cn.jiceng.v1.Dataset;
import cn.jiceng.v1.EngineInfo;
import com.google.protobuf.InvalidProtocolBufferException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.lang.ref.Cleaner;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A dataset validated and compiled for lookups: the hierarchy, the responsibility catalogue, the
 * work calendar and the routing policy of one jurisdiction (a {@code jc_engine} of the C ABI).
 *
 * <p>Load it once, share it: an engine is immutable and thread-safe, so any number of threads
 * may call it at the same time without locking (each thread keeps its own native scratch
 * memory). Close it when done; an engine that is never closed is released by a {@link Cleaner}
 * once it becomes unreachable, but native memory is better returned deterministically. Closing
 * is idempotent and safe while other threads are still calling: those calls finish, the native
 * engine is destroyed after the last of them, and later calls throw {@link
 * IllegalStateException}.
 *
 * <p>Example:
 *
 * <pre>{@code
 * try (Engine engine = Engine.load(Path.of("luhe.textproto"))) {
 *   EngineInfo info = engine.info();
 *   System.out.println(info.getMeta().getName());
 * } catch (JicengException e) {
 *   System.err.println(e.codeName() + ": " + e.getMessage());  // INVALID_ARGUMENT: ...
 * }
 * }</pre>
 *
 * <p>Failures throw {@link JicengException} with the library's status code and a message naming
 * the element and field; every {@code jiceng.v1} message crosses the boundary as serialized
 * protobuf bytes.
 */
public final class Engine implements AutoCloseable {
  private static final Cleaner CLEANER = Cleaner.create();

  private final Handle handle;
  private final Cleaner.Cleanable cleanable;

  private Engine(long address) {
    handle = new Handle(address);
    cleanable = CLEANER.register(this, handle);
  }

  /**
   * Loads a dataset file; the format comes from its extension (.pb/.bin/.binpb, .json,
   * .textproto/.txtpb/.pbtxt), then its content.
   *
   * @throws JicengException NOT_FOUND when the file cannot be opened; INVALID_ARGUMENT when it
   *     does not parse or does not validate (the message counts the errors and names the first:
   *     {@link Jiceng#validate} lists them all)
   */
  public static Engine load(Path path) throws JicengException {
    return load(path, DatasetFormat.AUTO);
  }

  /** As {@link #load(Path)}, reading the file in {@code format}. */
  public static Engine load(Path path, DatasetFormat format) throws JicengException {
    byte[] name = fileName(path);
    try (Memory m = new Memory(name.length + 1)) {
      m.write(0, name, 0, name.length);
      m.setByte(name.length, (byte) 0);
      Scratch s = Scratch.get();
      return create(
          s,
          CApi.jc_engine_create_from_file(Pointer.nativeValue(m), format.value(), s.out, s.error));
    }
  }

  /**
   * Compiles a dataset held in memory; the format is detected from the content.
   *
   * @throws JicengException INVALID_ARGUMENT when it does not parse or does not validate;
   *     RESOURCE_EXHAUSTED above 1 GiB
   */
  public static Engine load(byte[] dataset) throws JicengException {
    return load(dataset, DatasetFormat.AUTO);
  }

  /** As {@link #load(byte[])}, reading the bytes in {@code format}. */
  public static Engine load(byte[] dataset, DatasetFormat format) throws JicengException {
    try (Memory m = new Memory(Math.max(1, dataset.length))) {
      m.write(0, dataset, 0, dataset.length);
      Scratch s = Scratch.get();
      return create(
          s,
          CApi.jc_engine_create(
              Pointer.nativeValue(m), dataset.length, format.value(), s.out, s.error));
    }
  }

  /** Compiles a dataset message. */
  public static Engine load(Dataset dataset) throws JicengException {
    return load(dataset.toByteArray(), DatasetFormat.BINARY);
  }

  /** An engine compiled from the embedded sample dataset (Nanjing Luhe, 2026). */
  public static Engine sample() throws JicengException {
    Scratch s = Scratch.get();
    return create(s, CApi.jc_engine_create_sample(s.out, s.error));
  }

  /**
   * What the engine holds: the dataset's meta, counts per level and kind, the calendar's range,
   * the memory used.
   */
  public EngineInfo info() throws JicengException {
    long engine = handle.acquire();
    try {
      Scratch s = Scratch.get();
      s.check(CApi.jc_engine_info(engine, s.out, s.outSize, s.error));
      return parse(EngineInfo.parser(), s.takeBuffer());
    } finally {
      handle.release();
    }
  }

  /**
   * Releases the native engine (after calls in flight on other threads finish). Idempotent; any
   * later call on this engine throws {@link IllegalStateException}.
   */
  @Override
  public void close() {
    cleanable.clean();
  }

  /** Whether {@link #close} was called. */
  public boolean isClosed() {
    return handle.closed;
  }

  // ---- internals shared by the operations ----

  private static Engine create(Scratch s, int status) throws JicengException {
    s.check(status);
    return new Engine(s.handle());
  }

  static <T> T parse(com.google.protobuf.Parser<T> parser, byte[] bytes) throws JicengException {
    try {
      return parser.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw unparsable(e);
    }
  }

  static JicengException unparsable(InvalidProtocolBufferException e) {
    return new JicengException(
        Status.INTERNAL.code(),
        "the library's result does not parse with this binding's messages: " + e.getMessage());
  }

  private static byte[] fileName(Path path) {
    // The bytes the JVM itself uses for this name when it opens the file.
    String encoding = System.getProperty("sun.jnu.encoding");
    Charset charset =
        encoding != null && Charset.isSupported(encoding)
            ? Charset.forName(encoding)
            : StandardCharsets.UTF_8;
    byte[] name = path.toString().getBytes(charset);
    for (byte b : name) {
      if (b == 0) throw new IllegalArgumentException("jiceng: a file name with a NUL byte");
    }
    return name;
  }

  /**
   * The native engine and who is using it: the owner's one reference plus one per call in
   * flight. It is the Cleaner's action, so it must not (and does not) reference the Engine.
   */
  private static final class Handle implements Runnable {
    private final long address;
    private final AtomicInteger users = new AtomicInteger(1);
    volatile boolean closed;

    Handle(long address) {
      this.address = address;
    }

    long acquire() {
      for (; ; ) {
        int n = users.get();
        if (n == 0 || closed) throw new IllegalStateException("jiceng: the engine is closed");
        if (users.compareAndSet(n, n + 1)) return address;
      }
    }

    void release() {
      if (users.decrementAndGet() == 0) CApi.jc_engine_destroy(address);
    }

    /** close() or the Cleaner: drops the owner's reference, at most once. */
    @Override
    public void run() {
      closed = true;
      release();
    }
  }
}
