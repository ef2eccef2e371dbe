// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

package cn.jiceng;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Per-thread native memory for calls into the C ABI: the out-parameter slots every call writes
 * (a pointer or handle, a size, an error message) and an input and an output buffer that grow to
 * the largest message seen up to {@link #RETAINED_BYTES}, so that the hot path allocates no
 * native memory. All three are direct ByteBuffers: the JIT reads and writes them without a JNI
 * call, and the JVM frees them with the thread's scratch. A message larger than {@link
 * #RETAINED_BYTES} gets a buffer of its own for that call, freed by {@link #trim} when the call
 * ends: a pool of many threads that each once saw a large request keeps no large buffers.
 * Internal; a thread must not use its scratch re-entrantly (the library calls nothing back, so it
 * cannot).
 */
final class Scratch {
  private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(Scratch::new);

  private static final int INITIAL_CAPACITY = 4096;

  /** The largest input or output buffer a thread keeps between calls. */
  static final int RETAINED_BYTES = 64 << 10;

  /** Slots: [0] void** / jc_engine** out, [8] size_t* out, [16] char** error_message. */
  private final ByteBuffer slots = ByteBuffer.allocateDirect(24).order(ByteOrder.nativeOrder());

  final long out;
  final long outSize;
  final long error;

  private final AddressCache caseBuffer = new AddressCache();
  private final AddressCache decisionBuffer = new AddressCache();

  private final Reusable input = new Reusable(INITIAL_CAPACITY, RETAINED_BYTES);
  private final Reusable output = new Reusable(INITIAL_CAPACITY, RETAINED_BYTES);

  private Scratch() {
    out = address(slots);
    outSize = out + 8;
    error = out + 16;
  }

  static Scratch get() {
    return LOCAL.get();
  }

  /** The address of a direct buffer's first byte (ignoring its position). */
  static long address(ByteBuffer direct) {
    return Pointer.nativeValue(Native.getDirectBufferPointer(direct));
  }

  /** The address of a caller's direct case buffer (cached: see {@link AddressCache}). */
  long caseAddress(ByteBuffer direct) {
    return caseBuffer.address(direct);
  }

  /** The address of a caller's direct decision buffer (cached: see {@link AddressCache}). */
  long decisionAddress(ByteBuffer direct) {
    return decisionBuffer.address(direct);
  }

  /**
   * The address of the last direct buffer this thread passed in one role: a caller that reuses
   * its buffers skips the JNI lookup, which also allocates a Pointer. A direct buffer's address
   * never changes, so the same object means the same address. The buffer is held weakly: the
   * scratch never keeps a caller's buffer (and its native memory) alive.
   */
  private static final class AddressCache {
    private WeakReference<ByteBuffer> buffer = new WeakReference<>(null);
    private long address;

    long address(ByteBuffer direct) {
      if (buffer.get() != direct) {
        address = Scratch.address(direct);
        buffer = new WeakReference<>(direct);
      }
      return address;
    }
  }

  /** The input buffer's address, with room for at least {@code size} bytes. */
  long input(int size) {
    return input.reserve(size);
  }

  long inputAddress() {
    return input.address();
  }

  /** Copies {@code data} into the input buffer; returns its address. */
  long input(byte[] data) {
    return input(data, 0, data.length);
  }

  /** Copies {@code data[offset, offset + length)} into the input buffer; returns its address. */
  long input(byte[] data, int offset, int length) {
    long address = input(length);
    ByteBuffer b = input.buffer();
    b.clear();
    b.put(data, offset, length);
    return address;
  }

  /**
   * Copies the remaining bytes of {@code data} into the input buffer, leaving its position
   * alone; returns the input buffer's address.
   */
  long input(ByteBuffer data) {
    long address = input(data.remaining());
    ByteBuffer b = input.buffer();
    b.clear();
    b.put(data.duplicate());
    return address;
  }

  /**
   * Serializes {@code messages} into the input buffer as a length-delimited stream (each a varint
   * length, then the message: {@code writeDelimitedTo}) of {@code size} bytes, the sum of their
   * {@link #delimitedSize}s.
   */
  void writeDelimited(List<? extends MessageLite> messages, int size) {
    input(size);
    ByteBuffer b = input.buffer();
    b.clear().limit(size);
    try {
      CodedOutputStream coded = CodedOutputStream.newInstance(b);
      for (MessageLite m : messages) coded.writeMessageNoTag(m);
      coded.flush();
      if (coded.getTotalBytesWritten() != size) {
        throw new IllegalStateException("jiceng: messages changed size while being serialized");
      }
    } catch (IOException e) {
      throw new IllegalStateException("jiceng: serializing into a sized buffer failed", e);
    }
  }

  /** The bytes {@code message} takes in a length-delimited stream: its varint length, itself. */
  static long delimitedSize(MessageLite message) {
    int size = message.getSerializedSize();
    return (long) CodedOutputStream.computeUInt32SizeNoTag(size) + size;
  }

  /** Serializes {@code message} into the input buffer (no heap copy); returns its size. */
  int write(MessageLite message) {
    int size = message.getSerializedSize();
    input(size);
    ByteBuffer b = input.buffer();
    b.clear().limit(size);
    try {
      CodedOutputStream coded = CodedOutputStream.newInstance(b);
      message.writeTo(coded);
      coded.flush();
    } catch (IOException e) {
      throw new IllegalStateException("jiceng: serializing into a sized buffer failed", e);
    }
    return size;
  }

  /** The output buffer's address, with room for at least {@code size} bytes. */
  long output(long size) {
    return output.reserve(size);
  }

  int outputCapacity() {
    return output.capacity();
  }

  /** The output buffer as a ByteBuffer over [0, size). */
  ByteBuffer outputBuffer(int size) {
    ByteBuffer b = output.buffer();
    b.clear().limit(size);
    return b;
  }

  /**
   * Ends a call that used the input or output buffer: frees a buffer larger than {@link
   * #RETAINED_BYTES} that served only this call. Call it in a {@code finally}, after the last read
   * of {@link #outputBuffer}.
   */
  void trim() {
    input.release();
    output.release();
  }

  /** The capacity of the input buffer kept between calls (for tests). */
  int retainedInputCapacity() {
    return input.retainedCapacity();
  }

  /** The capacity of the output buffer kept between calls (for tests). */
  int retainedOutputCapacity() {
    return output.retainedCapacity();
  }

  /**
   * A native buffer reused across calls while it stays at or below {@code limit} bytes: a larger
   * size gets a buffer of its own (JNA {@link Memory}, freed deterministically by {@link
   * #release}), and the kept buffer serves the next call.
   */
  static final class Reusable {
    private final int limit;
    private ByteBuffer kept;
    private long keptAddress;
    /** {@code kept}, or {@code large}'s view during the call that needed it. */
    private ByteBuffer buffer;
    private long address;
    private Memory large;

    Reusable(int initialCapacity, int limit) {
      this.limit = limit;
      kept = ByteBuffer.allocateDirect(Math.min(initialCapacity, limit));
      keptAddress = Scratch.address(kept);
      buffer = kept;
      address = keptAddress;
    }

    /** The buffer's address, with room for at least {@code size} bytes. */
    long reserve(long size) {
      if (size <= buffer.capacity()) return address;
      if (size > Integer.MAX_VALUE - 8) {
        throw new OutOfMemoryError("jiceng: a message of " + size + " bytes");
      }
      release();
      if (size <= kept.capacity()) return address;
      if (size <= limit) {
        kept = ByteBuffer.allocateDirect(Math.min(grow(kept.capacity(), (int) size), limit));
        keptAddress = Scratch.address(kept);
        buffer = kept;
        address = keptAddress;
      } else {
        large = new Memory(size);
        buffer = large.getByteBuffer(0, size);
        address = Pointer.nativeValue(large);
      }
      return address;
    }

    ByteBuffer buffer() {
      return buffer;
    }

    long address() {
      return address;
    }

    int capacity() {
      return buffer.capacity();
    }

    int retainedCapacity() {
      return kept.capacity();
    }

    /** Frees the buffer of a size above the limit, if any; the kept buffer serves again. */
    void release() {
      Memory m = large;
      if (m == null) return;
      large = null;
      buffer = kept;
      address = keptAddress;
      m.close();
    }
  }

  /** The handle a create call wrote into the first slot. */
  long handle() {
    return slots.getLong(0);
  }

  /** The size a call wrote into the size slot. */
  long size() {
    return slots.getLong(8);
  }

  /** Zeroes the size slot, so that a call that leaves it untouched is recognised. */
  void clearSize() {
    slots.putLong(8, 0);
  }

  /**
   * Takes the library-allocated buffer a call returned through the (out, outSize) slots: copies
   * it onto the Java heap and frees it with {@code jc_free}.
   */
  byte[] takeBuffer() {
    long address = slots.getLong(0);
    long size = slots.getLong(8);
    slots.putLong(0, 0);
    try {
      if (size > Integer.MAX_VALUE - 8) {
        throw new OutOfMemoryError("jiceng: a result of " + size + " bytes exceeds a Java array");
      }
      return size == 0 ? new byte[0] : new Pointer(address).getByteArray(0, (int) size);
    } finally {
      CApi.jc_free(address);
    }
  }

  /** Frees the error message a call wrote, if any, without reading it. */
  void dropError() {
    long address = slots.getLong(16);
    if (address != 0) {
      slots.putLong(16, 0);
      CApi.jc_free(address);
    }
  }

  /** The exception for a failed call: its status and the message it wrote (freed here). */
  JicengException failure(int status) {
    long address = slots.getLong(16);
    String message = "(no message)";
    if (address != 0) {
      slots.putLong(16, 0);
      message = new Pointer(address).getString(0, StandardCharsets.UTF_8.name());
      CApi.jc_free(address);
    }
    return new JicengException(status, message);
  }

  /** Throws the failure unless {@code status} is OK. */
  void check(int status) throws JicengException {
    if (status != 0) throw failure(status);
  }

  private static int grow(int capacity, int needed) {
    long c = Math.max(capacity, 1);
    while (c < needed) c *= 2;
    return (int) Math.min(c, Integer.MAX_VALUE - 8);
  }
}
