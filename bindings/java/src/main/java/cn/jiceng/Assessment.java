// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

package cn.jiceng;

import cn.jiceng.v1.AssessRequest;
import cn.jiceng.v1.AssessmentReport;
import cn.jiceng.v1.CaseRecord;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An assessment (考核评价) fed its case records a part at a time (a {@code jc_assessment} of the C
 * ABI): {@link #finish} gives the report {@link Engine#assess} gives for the settings with every
 * record added, in the order added, without one {@link AssessRequest} holding them all. Start one
 * with {@link Engine#startAssessment}; close it when done, finished or not.
 *
 * <pre>{@code
 * AssessRequest settings = AssessRequest.newBuilder()
 *     .setPeriodStart(start).setPeriodEnd(end).build();         // no records
 * try (Assessment a = engine.startAssessment(settings)) {
 *   for (List<CaseRecord> page : store.pages()) a.add(page);    // any number of calls
 *   AssessmentReport report = a.finish();
 * } catch (JicengException e) {
 *   log.error(e.getMessage());  // records[12345] (case C-17) ratings[0].score: ...
 * }
 * }</pre>
 *
 * <p><b>When records are sent.</b> Every {@code add} call hands all it was given to the library
 * before it returns: nothing is held back in Java between calls, so an error is always thrown by
 * the call that added the record at fault, never by a later one. {@link #add(Iterable)}
 * serializes its records into native memory a chunk of about {@value #CHUNK_BYTES} bytes at a
 * time and makes one native call per chunk; {@link #add(CaseRecord)} makes one call for its
 * record, so prefer adding lists. {@link #addDelimited(byte[])} takes records already serialized
 * as a length-delimited stream (protobuf's {@code writeDelimitedTo}), as read from a file.
 *
 * <p><b>Errors.</b> A failure throws {@link JicengException} with the library's status and
 * message. A problem with a record (bytes that are not a CaseRecord, a frame cut short, what
 * {@link Engine#assess} would refuse, such as a rating score outside 0..100) names it by its place
 * among all the records added to this assessment, counted across calls ({@code records[12345]
 * (case C-17) ratings[0].score: 140 is outside 0..100}); the records before it were added, and
 * the assessment is failed: every later {@code add}, and {@code finish}, throws the same status
 * and message. {@link #finish} spends the assessment whatever its outcome: after it, {@code add}
 * and {@code finish} throw FAILED_PRECONDITION. A failure of the arguments (more than 1 GiB in
 * one {@link #addDelimited(byte[])}: RESOURCE_EXHAUSTED) adds nothing and changes nothing.
 *
 * <p><b>Threads.</b> Unlike an engine an assessment changes as records are added: one thread at a
 * time may use it (hand it between threads with the usual happens-before, e.g. through an
 * executor or a queue). Calls that overlap are refused, not queued: a call made while another is
 * running on the assessment throws {@link IllegalStateException} without touching it. Different
 * assessments may run on different threads over one engine. {@link #close} is safe from any
 * thread at any time: a call in flight finishes first.
 *
 * <p><b>Lifetime.</b> {@link #close} is idempotent and frees the native assessment; later calls
 * throw {@link IllegalStateException}. An assessment never closed is freed by a {@link Cleaner}
 * once unreachable. An open assessment keeps its engine's native memory alive: {@link
 * Engine#close} while it is open refuses new calls on the engine, but this assessment may still
 * be fed and finished, and the native engine is destroyed when the last of its open assessments
 * is closed. So close assessments promptly (try-with-resources).
 */
public final class Assessment implements AutoCloseable {
  /**
   * About how many bytes of serialized records {@link #add(Iterable)} sends per native call (a
   * single larger record goes alone).
   */
  public static final int CHUNK_BYTES = 4 << 20;

  /** Native assessments not yet destroyed (for tests and diagnostics). */
  private static final AtomicInteger LIVE = new AtomicInteger();

  private final State state;
  private final Cleaner.Cleanable cleanable;

  /** {@code releaseEngine} gives back the engine's hold; run once, after the native destroy. */
  Assessment(long address, Runnable releaseEngine) {
    state = new State(address, releaseEngine);
    LIVE.incrementAndGet();
    cleanable = Engine.CLEANER.register(this, state);
  }

  /**
   * Adds one record (one native call: prefer {@link #add(Iterable)} for many).
   *
   * @throws JicengException INVALID_ARGUMENT naming {@code records[i]} (i counted across every
   *     record added to this assessment) for a record {@link Engine#assess} would refuse; the
   *     failure of an earlier call, repeated; FAILED_PRECONDITION after {@link #finish}
   * @throws IllegalStateException when the assessment is closed, or in use by another call
   * @throws NullPointerException when {@code record} is null
   */
  public void add(CaseRecord record) throws JicengException {
    Objects.requireNonNull(record, "record");
    add(List.of(record));
  }

  /**
   * Adds {@code records}, in order: all of them have been handed to the library when this
   * returns, a chunk of about {@link #CHUNK_BYTES} bytes per native call, serialized straight
   * into native memory. A record's error stops it: the records before that one were added, the
   * rest of {@code records} is not read, and the assessment is failed. An empty {@code records}
   * still reaches the library, so a failed or finished assessment throws.
   *
   * <p>When iterating throws (a lazily read store that fails) or yields a null element, the
   * records yielded before it are added first, then the exception propagates ({@code
   * NullPointerException("records[k]")}, k counted in this call); the assessment stays open.
   *
   * @throws JicengException as {@link #add(CaseRecord)}
   * @throws IllegalStateException when the assessment is closed, or in use by another call
   * @throws NullPointerException when {@code records} or one of its elements is null
   */
  public void add(Iterable<CaseRecord> records) throws JicengException {
    Objects.requireNonNull(records, "records");
    long address = state.enter();
    try {
      List<CaseRecord> chunk = new ArrayList<>();
      long bytes = 0;
      boolean sent = false;
      int index = 0;
      Iterator<CaseRecord> it = records.iterator();
      for (; ; ) {
        CaseRecord record;
        try {
          if (!it.hasNext()) break;
          record = it.next();
          if (record == null) throw new NullPointerException("records[" + index + "]");
        } catch (RuntimeException e) {
          // What the iteration yielded before it failed is added, then its exception goes on.
          if (!chunk.isEmpty()) {
            try {
              send(address, chunk, bytes);
            } catch (JicengException f) {
              e.addSuppressed(f);
            }
          }
          throw e;
        }
        long size = Scratch.delimitedSize(record);
        if (!chunk.isEmpty() && bytes + size > CHUNK_BYTES) {
          send(address, chunk, bytes);
          sent = true;
          chunk.clear();
          bytes = 0;
        }
        chunk.add(record);
        bytes += size;
        index++;
      }
      if (!chunk.isEmpty() || !sent) send(address, chunk, bytes);
    } finally {
      state.leave();
    }
  }

  /**
   * Adds records already serialized: a length-delimited stream of {@code jiceng.v1.CaseRecord}
   * (each a varint byte length, then the message, as {@code writeDelimitedTo} writes them), in
   * one native call. It must hold whole frames: a frame cut short is an error that fails the
   * assessment, so a long stream must be cut between frames.
   *
   * @throws JicengException as {@link #add(CaseRecord)}; INVALID_ARGUMENT naming {@code
   *     records[i]} for a frame cut short or bytes that are not a CaseRecord; RESOURCE_EXHAUSTED
   *     above 1 GiB (which adds nothing)
   * @throws IllegalStateException when the assessment is closed, or in use by another call
   * @throws NullPointerException when {@code stream} is null
   */
  public void addDelimited(byte[] stream) throws JicengException {
    Objects.requireNonNull(stream, "stream");
    addDelimited(stream, 0, stream.length);
  }

  /**
   * As {@link #addDelimited(byte[])}, on {@code stream[offset, offset + length)}.
   *
   * @throws IndexOutOfBoundsException when the range is not inside {@code stream}
   * @throws NullPointerException when {@code stream} is null
   */
  public void addDelimited(byte[] stream, int offset, int length) throws JicengException {
    Objects.requireNonNull(stream, "stream");
    Objects.checkFromIndexSize(offset, length, stream.length);
    long address = state.enter();
    Scratch s = Scratch.get();
    try {
      long in = s.input(stream, offset, length);
      s.check(CApi.jc_assessment_add(address, in, length, s.error));
    } finally {
      s.trim();
      state.leave();
    }
  }

  /**
   * As {@link #addDelimited(byte[])}, on the remaining bytes of {@code stream}, whose position
   * and limit do not change. A direct buffer (a read-only one or a file mapping included) is read
   * where it is, without a copy; a heap buffer is copied into native memory.
   *
   * @throws NullPointerException when {@code stream} is null
   */
  public void addDelimited(ByteBuffer stream) throws JicengException {
    Objects.requireNonNull(stream, "stream");
    long address = state.enter();
    Scratch s = Scratch.get();
    try {
      int length = stream.remaining();
      long in =
          stream.isDirect()
              ? Scratch.address(stream) + stream.position()
              : s.input(stream);
      s.check(CApi.jc_assessment_add(address, in, length, s.error));
    } finally {
      // The library holds only the raw address: the buffer (whose collection frees its memory)
      // must stay reachable until the call has returned.
      Reference.reachabilityFence(stream);
      s.trim();
      state.leave();
    }
  }

  /**
   * The report of every record added: what {@link Engine#assess} gives for the settings with
   * those records, in that order ({@code jc_assessment_finish}). Spends the assessment, whatever
   * the outcome: later {@code add} and {@code finish} calls throw FAILED_PRECONDITION. It stays
   * open (holding its engine) until {@link #close}.
   *
   * @throws JicengException the failure of an earlier {@code add}, repeated; FAILED_PRECONDITION
   *     when already finished
   * @throws IllegalStateException when the assessment is closed, or in use by another call
   */
  public AssessmentReport finish() throws JicengException {
    long address = state.enter();
    try {
      Scratch s = Scratch.get();
      s.check(CApi.jc_assessment_finish(address, s.out, s.outSize, s.error));
      return Engine.parse(AssessmentReport.parser(), s.takeBuffer());
    } finally {
      state.leave();
    }
  }

  /**
   * Frees the native assessment (after a call in flight on another thread, if any, returns) and
   * lets go of its engine. Idempotent; later calls throw {@link IllegalStateException}.
   */
  @Override
  public void close() {
    cleanable.clean();
  }

  /** Whether {@link #close} was called. */
  public boolean isClosed() {
    return state.closed;
  }

  /** The number of native assessments started and not yet destroyed. */
  static int liveAssessments() {
    return LIVE.get();
  }

  /** Adds {@code records}, whose length-delimited stream is {@code bytes} long, in one call. */
  private static void send(long address, List<CaseRecord> records, long bytes)
      throws JicengException {
    Scratch s = Scratch.get();
    try {
      s.writeDelimited(records, Math.toIntExact(bytes));
      s.check(CApi.jc_assessment_add(address, s.inputAddress(), bytes, s.error));
    } finally {
      s.trim();
    }
  }

  /**
   * The native assessment and who is using it: the Cleaner's action, so it does not reference the
   * Assessment. A call sets {@code busy}, then checks {@code closed}; closing sets {@code closed},
   * then checks {@code busy}. Both are sequentially consistent, so either the call sees the
   * assessment closed and backs out, or closing sees the call, which destroys the assessment when
   * it leaves; whoever finds it closed and idle destroys it, at most once, then gives back the
   * engine.
   */
  private static final class State implements Runnable {
    private final long address;
    private final Runnable releaseEngine;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicBoolean destroyed = new AtomicBoolean();
    volatile boolean closed;

    State(long address, Runnable releaseEngine) {
      this.address = address;
      this.releaseEngine = releaseEngine;
    }

    long enter() {
      if (!busy.compareAndSet(false, true)) {
        throw new IllegalStateException(
            "jiceng: the assessment is in use by another call (one thread at a time may use it)");
      }
      if (closed) {
        leave();
        throw new IllegalStateException("jiceng: the assessment is closed");
      }
      return address;
    }

    void leave() {
      busy.set(false);
      if (closed) destroyIfIdle();
    }

    private void destroyIfIdle() {
      if (busy.get()) return;
      if (destroyed.compareAndSet(false, true)) {
        try {
          CApi.jc_assessment_destroy(address);
          LIVE.decrementAndGet();
        } finally {
          releaseEngine.run();
        }
      }
    }

    /** close() or the Cleaner: marks it closed; destroys it once no call is in flight. */
    @Override
    public void run() {
      closed = true;
      destroyIfIdle();
    }
  }
}
