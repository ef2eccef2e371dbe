// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

package cn.jiceng;

import cn.jiceng.v1.AdmissionDecision;
import cn.jiceng.v1.AdmissionRequest;
import cn.jiceng.v1.ApplyRequest;
import cn.jiceng.v1.AssessRequest;
import cn.jiceng.v1.AssessmentReport;
import cn.jiceng.v1.BatchEntry;
import cn.jiceng.v1.BatchOptions;
import cn.jiceng.v1.Case;
import cn.jiceng.v1.CaseRecord;
import cn.jiceng.v1.CatalogueAnalysis;
import cn.jiceng.v1.Dataset;
import cn.jiceng.v1.DiffReport;
import cn.jiceng.v1.EngineInfo;
import cn.jiceng.v1.RoutingDecision;
import cn.jiceng.v1.ServiceDecision;
import cn.jiceng.v1.ServiceRequest;
import cn.jiceng.v1.SuperviseRequest;
import cn.jiceng.v1.SupervisionReport;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.ExtensionRegistryLite;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

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
 * IllegalStateException}. An open {@link Assessment} counts as a call in flight: it may still be
 * fed and finished after the engine is closed, and the native engine is destroyed once the last
 * open assessment is closed too.
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
 * protobuf bytes. A null argument throws {@link NullPointerException} naming the parameter,
 * before anything is called.
 */
public final class Engine implements AutoCloseable {
  /**
   * Flag of the route calls ({@code JC_ROUTE_EXPLAIN_TEXT}): a readable sentence on every trace
   * step. Off the hot path: it builds text.
   */
  public static final int EXPLAIN_TEXT = 1;

  /** The binding's Cleaner (engines and assessments): one thread for all of them. */
  static final Cleaner CLEANER = Cleaner.create();

  /** Native engines not yet destroyed (for tests and diagnostics). */
  private static final AtomicInteger LIVE = new AtomicInteger();

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
   * @throws NullPointerException when {@code path} is null
   */
  public static Engine load(Path path) throws JicengException {
    return load(path, DatasetFormat.AUTO);
  }

  /**
   * As {@link #load(Path)}, reading the file in {@code format}. A path on another file system
   * than the default (a zip file system, an in-memory one) is read by Java and its bytes handed
   * over; on the default one the library opens the file itself.
   *
   * @throws JicengException also INVALID_ARGUMENT when {@code path} is a directory
   * @throws NullPointerException when {@code path} or {@code format} is null
   */
  public static Engine load(Path path, DatasetFormat format) throws JicengException {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(format, "format");
    if (path.getFileSystem() != FileSystems.getDefault()) {
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(path);
      } catch (IOException e) {
        throw readFailure("dataset", path, e);
      }
      return load(bytes, format == DatasetFormat.AUTO ? formatOfName(path) : format);
    }
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
   * @throws NullPointerException when {@code dataset} is null
   */
  public static Engine load(byte[] dataset) throws JicengException {
    return load(dataset, DatasetFormat.AUTO);
  }

  /**
   * As {@link #load(byte[])}, reading the bytes in {@code format}.
   *
   * @throws NullPointerException when {@code dataset} or {@code format} is null
   */
  public static Engine load(byte[] dataset, DatasetFormat format) throws JicengException {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(format, "format");
    try (Memory m = copy(dataset)) {
      Scratch s = Scratch.get();
      return create(
          s,
          CApi.jc_engine_create(
              Pointer.nativeValue(m), dataset.length, format.value(), s.out, s.error));
    }
  }

  /**
   * Compiles a dataset message.
   *
   * @throws NullPointerException when {@code dataset} is null
   */
  public static Engine load(Dataset dataset) throws JicengException {
    Objects.requireNonNull(dataset, "dataset");
    return load(dataset.toByteArray(), DatasetFormat.BINARY);
  }

  /**
   * An engine from an engine snapshot ({@link #saveSnapshot}, or {@code jiceng snapshot} on the
   * command line): nothing is parsed or compiled, so even a province loads in milliseconds. It
   * answers every call exactly as the engine that saved it.
   *
   * @throws JicengException INVALID_ARGUMENT when the bytes are not a snapshot, come from another
   *     snapshot format version, or break an invariant (the message names the section and byte
   *     offset); DATA_LOSS when truncated or damaged; RESOURCE_EXHAUSTED above 1 GiB
   * @throws NullPointerException when {@code snapshot} is null
   */
  public static Engine loadSnapshot(byte[] snapshot) throws JicengException {
    Objects.requireNonNull(snapshot, "snapshot");
    try (Memory m = copy(snapshot)) {
      Scratch s = Scratch.get();
      return create(
          s,
          CApi.jc_engine_create_from_snapshot(
              Pointer.nativeValue(m), snapshot.length, s.out, s.error));
    }
  }

  /**
   * As {@link #loadSnapshot(byte[])}, reading the snapshot file at {@code path}.
   *
   * @throws JicengException NOT_FOUND when the file does not exist; PERMISSION_DENIED when it may
   *     not be read; INVALID_ARGUMENT for a directory; UNAVAILABLE when reading it fails otherwise
   *     (an I/O error); the message names the file and the system's reason
   * @throws NullPointerException when {@code path} is null
   */
  public static Engine loadSnapshot(Path path) throws JicengException {
    Objects.requireNonNull(path, "path");
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (IOException e) {
      throw readFailure("snapshot", path, e);
    }
    return loadSnapshot(bytes);
  }

  /**
   * The engine as a snapshot for {@link #loadSnapshot(byte[])}; the same dataset always gives the
   * same bytes.
   */
  public byte[] saveSnapshot() throws JicengException {
    long engine = handle.acquire();
    try {
      Scratch s = Scratch.get();
      s.check(CApi.jc_engine_save_snapshot(engine, s.out, s.outSize, s.error));
      return s.takeBuffer();
    } finally {
      handle.release();
    }
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
   * Routes one case: who must handle it, who helps, who supervises, by when, and why. The hot
   * path: the case is serialized into this thread's native scratch buffer and the decision is
   * written into another ({@code jc_engine_route_into}), then parsed; nothing native is
   * allocated per call.
   *
   * @throws JicengException INVALID_ARGUMENT naming the field and value for a case routing
   *     rejects (unknown matter or location, bad attribute, urgency outside 0..4, ...);
   *     OUT_OF_RANGE naming the date when a deadline leaves the dataset's work calendar
   * @throws NullPointerException when {@code c} is null
   */
  public RoutingDecision route(Case c) throws JicengException {
    return route(c, 0);
  }

  /**
   * As {@link #route(Case)}, with {@code flags} (0 or {@link #EXPLAIN_TEXT}).
   *
   * @throws NullPointerException when {@code c} is null
   */
  public RoutingDecision route(Case c, int flags) throws JicengException {
    Objects.requireNonNull(c, "c");
    long engine = handle.acquire();
    Scratch s = Scratch.get();
    try {
      int size = routeIntoScratch(engine, s, s.write(c), flags);
      return RoutingDecision.parseFrom(s.outputBuffer(size));
    } catch (InvalidProtocolBufferException e) {
      throw unparsable(e);
    } finally {
      s.trim();
      handle.release();
    }
  }

  /**
   * Routes a serialized {@code jiceng.v1.Case}; returns the serialized {@code
   * jiceng.v1.RoutingDecision} exactly as the library wrote it ({@code jc_engine_route}).
   * Deterministic: the same engine and case give the same bytes.
   *
   * @throws JicengException as {@link #route(Case)}; INVALID_ARGUMENT when the bytes are not a
   *     Case or a flag is unknown
   * @throws NullPointerException when {@code caseBytes} is null
   */
  public byte[] route(byte[] caseBytes, int flags) throws JicengException {
    Objects.requireNonNull(caseBytes, "caseBytes");
    long engine = handle.acquire();
    Scratch s = Scratch.get();
    try {
      long in = s.input(caseBytes);
      s.check(
          CApi.jc_engine_route(engine, in, caseBytes.length, flags, s.out, s.outSize, s.error));
      return s.takeBuffer();
    } finally {
      s.trim();
      handle.release();
    }
  }

  /**
   * The zero-copy hot path ({@code jc_engine_route_into}): routes the serialized Case in {@code
   * caseBytes} (its remaining bytes) and writes the serialized RoutingDecision into {@code
   * decision} at its position. Both buffers must be direct, and {@code decision} writable (not
   * read-only: not {@code asReadOnlyBuffer()}, nor a {@code READ_ONLY} file mapping); neither's
   * position or limit changes.
   *
   * <p>Returns the decision's size {@code n}. When {@code n <= decision.remaining()} the decision
   * is in {@code decision[position, position + n)}; otherwise nothing was written: call again
   * with at least {@code n} bytes remaining.
   *
   * <pre>{@code
   * int n = engine.routeInto(caseBuffer, decisionBuffer, 0);
   * if (n > decisionBuffer.remaining()) { ... grow decisionBuffer, call again ... }
   * }</pre>
   *
   * @throws IllegalArgumentException when a buffer is not direct, or {@code decision} is
   *     read-only
   * @throws JicengException as {@link #route(byte[], int)}
   * @throws NullPointerException when {@code caseBytes} or {@code decision} is null
   */
  public int routeInto(ByteBuffer caseBytes, ByteBuffer decision, int flags)
      throws JicengException {
    Objects.requireNonNull(caseBytes, "caseBytes");
    Objects.requireNonNull(decision, "decision");
    if (!caseBytes.isDirect() || !decision.isDirect()) {
      throw new IllegalArgumentException("jiceng: routeInto needs direct ByteBuffers");
    }
    if (decision.isReadOnly()) {
      // The library writes through the address: a read-only view or mapping must not be given.
      throw new IllegalArgumentException("jiceng: routeInto's decision buffer is read-only");
    }
    Scratch s = Scratch.get();
    long in = s.caseAddress(caseBytes) + caseBytes.position();
    long out = s.decisionAddress(decision) + decision.position();
    int capacity = decision.remaining();
    long engine = handle.acquire();
    try {
      s.clearSize();
      int status =
          CApi.jc_engine_route_into(
              engine, in, caseBytes.remaining(), flags, out, capacity, s.outSize, s.error);
      return intoResult(s, status);
    } finally {
      // The library holds only the raw addresses: the buffers (whose collection frees their
      // memory) must stay reachable until the call has returned.
      Reference.reachabilityFence(caseBytes);
      Reference.reachabilityFence(decision);
      handle.release();
    }
  }

  /**
   * Routes many cases on {@code threads} native threads, the calling thread included, in one call
   * ({@code jc_engine_route_batch}). Returns one entry per case, in order, each holding the
   * decision (without explanation text) or that case's own error: one bad case never fails the
   * batch. The result is the same for any thread count.
   *
   * <p>{@code threads} 0 means up to one per core, shared by the whole process: all calls with 0
   * running at once start together at most one thread fewer than there are cores besides their
   * calling threads, so that a server batching from many request threads does not oversubscribe
   * the machine; a call that finds none free routes on its calling thread alone. {@code threads}
   * N uses exactly N (at most 64, never more than there are cases) whatever else runs, and the
   * calls with 0 beside it take only what it leaves.
   *
   * <p>{@link BatchEntries} turns the entries into decisions, or into a {@link
   * BatchEntryException} naming the case that failed.
   *
   * @throws JicengException INVALID_ARGUMENT for a negative thread count
   * @throws NullPointerException when {@code cases} or one of its elements is null
   */
  public List<BatchEntry> routeMany(List<Case> cases, int threads) throws JicengException {
    return routeMany(cases, BatchOptions.newBuilder().setThreads(threads).build());
  }

  /**
   * As {@link #routeMany(List, int)}, with the batch's {@link BatchOptions}: {@code threads} (as
   * above), {@code route.explain_text} (readable text on every decision's trace steps) and
   * {@code first_index} (the entries are numbered from it: where these cases stand in a longer
   * sequence routed in parts). {@code BatchOptions.getDefaultInstance()} routes as {@code
   * routeMany(cases, 0)}.
   *
   * @throws JicengException INVALID_ARGUMENT for a negative thread count, first index or first
   *     byte
   * @throws NullPointerException when {@code cases}, one of its elements, or {@code options} is
   *     null
   */
  public List<BatchEntry> routeMany(List<Case> cases, BatchOptions options)
      throws JicengException {
    Objects.requireNonNull(cases, "cases");
    Objects.requireNonNull(options, "options");
    byte[] stream = routeBatch(delimited(cases), options);
    List<BatchEntry> entries = new ArrayList<>(cases.size());
    CodedInputStream in = CodedInputStream.newInstance(stream);
    in.setSizeLimit(Integer.MAX_VALUE);
    try {
      while (!in.isAtEnd()) {
        entries.add(in.readMessage(BatchEntry.parser(), ExtensionRegistryLite.getEmptyRegistry()));
      }
    } catch (IOException e) {
      throw new JicengException(
          Status.INTERNAL.code(), "the library's batch result does not parse: " + e.getMessage());
    }
    return entries;
  }

  /**
   * As {@link #routeMany}, on bytes: a length-delimited stream of {@code jiceng.v1.Case} (each a
   * varint length, then the message: {@code writeDelimitedTo}) in, a length-delimited stream of
   * {@code jiceng.v1.BatchEntry} out.
   *
   * @throws NullPointerException when {@code casesStream} is null
   */
  public byte[] routeBatch(byte[] casesStream, int threads) throws JicengException {
    return routeBatch(casesStream, BatchOptions.newBuilder().setThreads(threads).build());
  }

  /**
   * As {@link #routeBatch(byte[], int)}, with the batch's {@link BatchOptions} ({@code
   * jc_engine_route_batch_with}). To route a long stream a part at a time, give each part where
   * it stands: {@code first_index}, the index of its first case, and {@code first_byte}, the byte
   * offset of its first frame. The entries' indexes and the errors' case and frame numbers and
   * byte offsets then count from them, and the parts' results, concatenated, are the bytes one
   * call over the whole stream gives.
   *
   * @throws JicengException INVALID_ARGUMENT for a negative thread count, first index or first
   *     byte
   * @throws NullPointerException when {@code casesStream} or {@code options} is null
   */
  public byte[] routeBatch(byte[] casesStream, BatchOptions options) throws JicengException {
    Objects.requireNonNull(casesStream, "casesStream");
    Objects.requireNonNull(options, "options");
    byte[] raw = options.toByteArray();
    long engine = handle.acquire();
    try (Memory m = copy(casesStream);
        Memory o = copy(raw)) {
      Scratch s = Scratch.get();
      s.check(
          CApi.jc_engine_route_batch_with(
              engine,
              Pointer.nativeValue(m),
              casesStream.length,
              Pointer.nativeValue(o),
              raw.length,
              s.out,
              s.outSize,
              s.error));
      return s.takeBuffer();
    } finally {
      handle.release();
    }
  }

  /**
   * What-if: routes {@code cases} on {@code before} and on {@code after} and reports the cases
   * whose outcome, lead, tier, co-handlers, supervisor, enforcement mode, deadlines, escalation,
   * whistle list or error change ({@code changed}), with both decisions and the explanation steps
   * that differ ({@code changed_steps}). The two engines may be the same.
   *
   * @throws NullPointerException when an argument or one of the cases is null
   */
  public static DiffReport diff(Engine before, Engine after, List<Case> cases)
      throws JicengException {
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(after, "after");
    Objects.requireNonNull(cases, "cases");
    return diff(before, after, delimited(cases));
  }

  /**
   * As {@link #diff(Engine, Engine, List)}, on a length-delimited stream of {@code jiceng.v1.Case}
   * (as {@link #routeBatch(byte[], int)} takes), read one case at a time: memory grows with the
   * report, not with the stream. As in a batch, one bad case does not stop it: a frame that is not
   * a case, and a frame cut short (which ends the stream), are listed in the report's {@code
   * unread} with their index and error.
   *
   * @throws NullPointerException when an argument is null
   */
  public static DiffReport diff(Engine before, Engine after, byte[] casesStream)
      throws JicengException {
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(after, "after");
    Objects.requireNonNull(casesStream, "casesStream");
    long b = before.handle.acquire();
    try {
      long a = after.handle.acquire();
      try (Memory m = copy(casesStream)) {
        Scratch s = Scratch.get();
        s.check(
            CApi.jc_engine_diff(
                b, a, Pointer.nativeValue(m), casesStream.length, s.out, s.outSize, s.error));
        return parse(DiffReport.parser(), s.takeBuffer());
      } finally {
        after.handle.release();
      }
    } finally {
      before.handle.release();
    }
  }

  /**
   * Routes a government-service application (政务服务): who accepts it, who approves it, the
   * village proxy, the deadlines. A centre outside the item's scope is not an error ({@code
   * accepted_here} is false).
   *
   * @throws JicengException INVALID_ARGUMENT naming the field and value (unknown item, region or
   *     centre); OUT_OF_RANGE when a deadline leaves the calendar
   * @throws NullPointerException when {@code request} is null
   */
  public ServiceDecision routeService(ServiceRequest request) throws JicengException {
    return call(request, ServiceDecision.parser(), CApi::jc_engine_route_service);
  }

  /**
   * Reviews a proposed duty for a township or village (准入审查): the verdict and the reasons
   * that decided it (a bar alone, when one holds; see AdmissionDecision.reasons).
   *
   * @throws JicengException INVALID_ARGUMENT naming the field and value of a malformed request
   * @throws NullPointerException when {@code request} is null
   */
  public AdmissionDecision reviewAdmission(AdmissionRequest request) throws JicengException {
    return call(request, AdmissionDecision.parser(), CApi::jc_engine_review_admission);
  }

  /**
   * Analyses the responsibility catalogue as of the dataset's effective date: overlaps, gaps,
   * two leads, unresolved roles, expired references, with counts.
   */
  public CatalogueAnalysis analyze() throws JicengException {
    long engine = handle.acquire();
    try {
      Scratch s = Scratch.get();
      s.check(CApi.jc_engine_analyze(engine, s.out, s.outSize, s.error));
      return parse(CatalogueAnalysis.parser(), s.takeBuffer());
    } finally {
      handle.release();
    }
  }

  /**
   * Moves a case record one step of the closed loop (receive, register, dispatch, sign for,
   * handle, feed back, verify, close, evaluate, and the side actions: return, reassign, urge,
   * extend, park, reopen, merge, withdraw, whistle, ...). Pure: returns the record after the
   * action; the caller stores it.
   *
   * @throws JicengException FAILED_PRECONDITION naming the rule an action breaks (wrong state,
   *     wrong actor, ...); INVALID_ARGUMENT for a malformed action; OUT_OF_RANGE when a deadline
   *     leaves the work calendar
   * @throws NullPointerException when {@code request} is null
   */
  public CaseRecord apply(ApplyRequest request) throws JicengException {
    return call(request, CaseRecord.parser(), CApi::jc_engine_apply);
  }

  /**
   * Checks a record's clocks at a moment: what is overdue or nearly so, whether to urge, whom to
   * escalate to.
   *
   * @throws JicengException OUT_OF_RANGE when the moment or a due time lies outside the work
   *     calendar
   * @throws NullPointerException when {@code request} is null
   */
  public SupervisionReport supervise(SuperviseRequest request) throws JicengException {
    return call(request, SupervisionReport.parser(), CApi::jc_engine_supervise);
  }

  /**
   * Assesses a period's case records (考核评价): figures per unit and per region rolled up the
   * hierarchy, weighted scores.
   *
   * @throws JicengException INVALID_ARGUMENT naming the field for a bad period, weights or rating
   * @throws NullPointerException when {@code request} is null
   */
  public AssessmentReport assess(AssessRequest request) throws JicengException {
    return call(request, AssessmentReport.parser(), CApi::jc_engine_assess);
  }

  /**
   * Starts an assessment fed its records a part at a time ({@code jc_assessment_start}): the
   * report {@link #assess} gives for {@code settings} with the records added, without one
   * request holding every record (a record store of millions of cases, read a part at a time).
   * {@code settings} is an AssessRequest without records: the period, {@code as_of}, weights,
   * limits. See {@link Assessment}; close it when done (try-with-resources).
   *
   * <pre>{@code
   * try (Assessment a = engine.startAssessment(settings)) {
   *   while (store.hasMore()) a.add(store.nextPage());  // each page a List<CaseRecord>
   *   AssessmentReport report = a.finish();
   * }
   * }</pre>
   *
   * @throws JicengException INVALID_ARGUMENT as {@link #assess} for bad settings (a negative or
   *     empty period, bad weights, ...), and when {@code settings} holds records (give them to
   *     {@link Assessment#add})
   * @throws IllegalStateException when the engine is closed
   * @throws NullPointerException when {@code settings} is null
   */
  public Assessment startAssessment(AssessRequest settings) throws JicengException {
    Objects.requireNonNull(settings, "settings");
    long engine = handle.acquire();
    Scratch s = Scratch.get();
    try {
      int size = s.write(settings);
      s.check(CApi.jc_assessment_start(engine, s.inputAddress(), size, s.out, s.error));
      long assessment = s.handle();
      // Held while this call is still in flight: the engine cannot be destroyed in between.
      handle.hold();
      try {
        return new Assessment(assessment, handle::unhold);
      } catch (RuntimeException | Error e) {
        CApi.jc_assessment_destroy(assessment);
        handle.unhold();
        throw e;
      }
    } finally {
      s.trim();
      handle.release();
    }
  }

  /**
   * Releases the native engine (after calls in flight on other threads finish, and after every
   * open {@link Assessment} of it is closed). Idempotent; any later call on this engine throws
   * {@link IllegalStateException}; its open assessments keep working until closed.
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

  /** A C entry point taking one serialized request and returning a library-allocated result. */
  private interface RequestCall {
    int call(long engine, long data, long size, long out, long outSize, long errorMessage);
  }

  private <T> T call(MessageLite request, Parser<T> parser, RequestCall fn)
      throws JicengException {
    Objects.requireNonNull(request, "request");
    long engine = handle.acquire();
    Scratch s = Scratch.get();
    try {
      int size = s.write(request);
      s.check(fn.call(engine, s.inputAddress(), size, s.out, s.outSize, s.error));
      return parse(parser, s.takeBuffer());
    } finally {
      s.trim();
      handle.release();
    }
  }

  /** jc_engine_route_into into this thread's output buffer, growing it when it is too small. */
  private static int routeIntoScratch(long engine, Scratch s, int caseSize, int flags)
      throws JicengException {
    for (; ; ) {
      int capacity = s.outputCapacity();
      long out = s.output(capacity);
      s.clearSize();
      int status =
          CApi.jc_engine_route_into(
              engine, s.inputAddress(), caseSize, flags, out, capacity, s.outSize, s.error);
      int size = intoResult(s, status);
      if (size <= capacity) return size;
      s.output(size);
    }
  }

  /**
   * The result of an *_into call: the size written, or the size needed (larger than the buffer's
   * capacity) when the buffer was too small (BUFFER_TOO_SMALL with the size set); throws for any
   * other failure.
   */
  private static int intoResult(Scratch s, int status) throws JicengException {
    if (status == 0) return (int) s.size();
    long needed = s.size();
    if (status == Status.BUFFER_TOO_SMALL.code()) {
      if (needed > Integer.MAX_VALUE - 8) {
        throw new JicengException(status, "jiceng: a result of " + needed + " bytes");
      }
      s.dropError();
      return (int) needed;
    }
    throw s.failure(status);
  }

  private static byte[] delimited(List<Case> cases) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      int i = 0;
      for (Case c : cases) {
        if (c == null) throw new NullPointerException("cases[" + i + "]");
        out.writeMessageNoTag(c);
        i++;
      }
      out.flush();
    } catch (IOException e) {
      throw new IllegalStateException("jiceng: writing to memory failed", e);
    }
    return bytes.toByteArray();
  }

  /** A native copy of {@code data}; close it after the call. */
  static Memory copy(byte[] data) {
    Memory m = new Memory(Math.max(1, data.length));
    m.write(0, data, 0, data.length);
    return m;
  }

  private static Engine create(Scratch s, int status) throws JicengException {
    s.check(status);
    LIVE.incrementAndGet();
    return new Engine(s.handle());
  }

  /** The number of native engines created and not yet destroyed. */
  static int liveEngines() {
    return LIVE.get();
  }

  static <T> T parse(Parser<T> parser, byte[] bytes) throws JicengException {
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

  /**
   * The format a dataset file's name gives (the library's own rule for files it opens): .pb, .bin
   * and .binpb binary; .json JSON; .textproto, .txtpb, .pbtxt and .txt text; else AUTO, from the
   * content.
   */
  static DatasetFormat formatOfName(Path path) {
    Path file = path.getFileName();
    String name = file == null ? "" : file.toString().toLowerCase(Locale.ROOT);
    for (String ext : new String[] {".pb", ".bin", ".binpb"}) {
      if (name.endsWith(ext)) return DatasetFormat.BINARY;
    }
    if (name.endsWith(".json")) return DatasetFormat.JSON;
    for (String ext : new String[] {".textproto", ".txtpb", ".pbtxt", ".txt"}) {
      if (name.endsWith(ext)) return DatasetFormat.TEXT;
    }
    return DatasetFormat.AUTO;
  }

  /**
   * The exception for a file that could not be read: NOT_FOUND for a missing file,
   * PERMISSION_DENIED for one that may not be read, INVALID_ARGUMENT for a directory (the
   * library's code when it opens one itself), UNAVAILABLE for any other failure; the message names
   * the file and the reason.
   */
  static JicengException readFailure(String what, Path path, IOException e) {
    Status status;
    String reason;
    if (e instanceof NoSuchFileException) {
      status = Status.NOT_FOUND;
      reason = "no such file";
    } else if (e instanceof AccessDeniedException) {
      status = Status.PERMISSION_DENIED;
      reason = "permission denied";
    } else if (Files.isDirectory(path)) {
      status = Status.INVALID_ARGUMENT;
      reason = "Is a directory";
    } else {
      status = Status.UNAVAILABLE;
      reason = e.getClass().getSimpleName();
    }
    if (e instanceof FileSystemException) {
      // getMessage() repeats the file names; getReason() is the system's own words, if any.
      String own = ((FileSystemException) e).getReason();
      if (own != null && !own.isEmpty()) reason = own;
    } else if (e.getMessage() != null && !e.getMessage().isEmpty()) {
      reason = e.getMessage();
    }
    JicengException x =
        new JicengException(status.code(), "cannot read the " + what + " " + path + ": " + reason);
    x.initCause(e);
    return x;
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
   * The native engine and who is using it. It is the Cleaner's action, so it must not (and does
   * not) reference the Engine.
   *
   * <p>Calls in flight are counted in stripes, one padded cache line each, chosen by the calling
   * thread's id: threads sharing an engine do not bounce one counter's cache line between cores
   * on every call. A call increments its stripe, then checks {@code closed}; closing sets {@code
   * closed}, then sums the stripes. Both are sequentially consistent (atomic and volatile
   * accesses), so either the call sees the engine closed and backs out, or the sum sees the call;
   * whoever finds the engine closed with no call in flight destroys it, at most once.
   *
   * <p>An open {@link Assessment} refers to the native engine from its start to its close, on
   * whatever threads use and close it: it is counted in {@code held}, taken inside the call that
   * starts it (so while that call is in flight) and given back when the assessment is destroyed,
   * by the same rule: give back, then check {@code closed}.
   */
  private static final class Handle implements Runnable {
    private static final int STRIPES = 32; // a power of two
    private static final int PAD = 16; // ints per cache line

    private final long address;
    private final AtomicIntegerArray inFlight = new AtomicIntegerArray(STRIPES * PAD);
    /** Open assessments of this engine. */
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicBoolean destroyed = new AtomicBoolean();
    volatile boolean closed;

    Handle(long address) {
      this.address = address;
    }

    private static int stripe() {
      return ((int) Thread.currentThread().getId() & (STRIPES - 1)) * PAD;
    }

    long acquire() {
      int stripe = stripe();
      inFlight.incrementAndGet(stripe);
      if (closed) {
        leave(stripe);
        throw new IllegalStateException("jiceng: the engine is closed");
      }
      return address;
    }

    void release() {
      leave(stripe());
    }

    private void leave(int stripe) {
      inFlight.decrementAndGet(stripe);
      if (closed) destroyIfIdle();
    }

    /** An assessment started: only inside a call, between acquire() and release(). */
    void hold() {
      held.incrementAndGet();
    }

    /** An assessment destroyed (its native object first): on any thread. */
    void unhold() {
      held.decrementAndGet();
      if (closed) destroyIfIdle();
    }

    private void destroyIfIdle() {
      for (int i = 0; i < STRIPES * PAD; i += PAD) {
        if (inFlight.get(i) != 0) return;
      }
      if (held.get() != 0) return;
      if (destroyed.compareAndSet(false, true)) {
        CApi.jc_engine_destroy(address);
        LIVE.decrementAndGet();
      }
    }

    /** close() or the Cleaner: marks the engine closed; destroys it once no call is in flight. */
    @Override
    public void run() {
      closed = true;
      destroyIfIdle();
    }
  }
}
