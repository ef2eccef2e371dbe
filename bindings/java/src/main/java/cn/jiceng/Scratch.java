// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

package cn.jiceng;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Per-thread native memory for calls into the C ABI: the out-parameter slots every call writes
 * (a pointer or handle, a size, an error message) and an input and an output buffer that grow to
 * the largest message seen, so that the hot path allocates no native memory. All three are
 * direct ByteBuffers: the JIT reads and writes them without a JNI call, and the JVM frees them
 * with the thread's scratch. Internal; a thread must not use its scratch re-entrantly (the
 * library calls nothing back, so it cannot).
 */
final class Scratch {
  private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(Scratch::new);

  private static final int INITIAL_CAPACITY = 4096;

  /** Slots: [0] void** / jc_engine** out, [8] size_t* out, [16] char** error_message. */
  private final ByteBuffer slots = ByteBuffer.allocateDirect(24).order(ByteOrder.nativeOrder());

  final long out;
  final long outSize;
  final long error;

  private final AddressCache caseBuffer = new AddressCache();
  private final AddressCache decisionBuffer = new AddressCache();

  private ByteBuffer input;
  private long inputAddress;
  private ByteBuffer output;
  private long outputAddress;

  private Scratch() {
    out = address(slots);
    outSize = out + 8;
    error = out + 16;
    input = ByteBuffer.allocateDirect(INITIAL_CAPACITY);
    inputAddress = address(input);
    output = ByteBuffer.allocateDirect(INITIAL_CAPACITY);
    outputAddress = address(output);
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
    if (size > input.capacity()) {
      input = ByteBuffer.allocateDirect(grow(input.capacity(), size));
      inputAddress = address(input);
    }
    return inputAddress;
  }

  long inputAddress() {
    return inputAddress;
  }

  /** Copies {@code data} into the input buffer; returns its address. */
  long input(byte[] data) {
    long address = input(data.length);
    input.clear();
    input.put(data);
    return address;
  }

  /** Serializes {@code message} into the input buffer (no heap copy); returns its size. */
  int write(MessageLite message) {
    int size = message.getSerializedSize();
    input(size);
    input.clear().limit(size);
    try {
      CodedOutputStream coded = CodedOutputStream.newInstance(input);
      message.writeTo(coded);
      coded.flush();
    } catch (IOException e) {
      throw new IllegalStateException("jiceng: serializing into a sized buffer failed", e);
    }
    return size;
  }

  /** The output buffer's address, with room for at least {@code size} bytes. */
  long output(long size) {
    if (size > output.capacity()) {
      if (size > Integer.MAX_VALUE - 8) {
        throw new OutOfMemoryError("jiceng: a result of " + size + " bytes");
      }
      output = ByteBuffer.allocateDirect(grow(output.capacity(), (int) size));
      outputAddress = address(output);
    }
    return outputAddress;
  }

  int outputCapacity() {
    return output.capacity();
  }

  /** The output buffer as a ByteBuffer over [0, size). */
  ByteBuffer outputBuffer(int size) {
    output.clear().limit(size);
    return output;
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
