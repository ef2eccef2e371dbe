// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

package cn.jiceng;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Per-thread native memory for calls into the C ABI: the out-parameter slots every call writes
 * (a pointer or handle, a size, an error message) and an input and an output buffer that grow to
 * the largest message seen, so that the hot path allocates no native memory. Internal; a thread
 * must not use its scratch re-entrantly (the library calls nothing back, so it cannot).
 *
 * <p>Native memory is released by JNA's own cleaner when the thread and its scratch are gone.
 */
final class Scratch {
  private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(Scratch::new);

  private static final int INITIAL_CAPACITY = 4096;

  /** Slots: [0] void** / jc_engine** out, [8] size_t* out, [16] char** error_message. */
  private final Memory slots = new Memory(24);

  final long out;
  final long outSize;
  final long error;

  private Memory input;
  private ByteBuffer inputView;
  private Memory output;
  private ByteBuffer outputView;

  private Scratch() {
    out = Pointer.nativeValue(slots);
    outSize = out + 8;
    error = out + 16;
    input = new Memory(INITIAL_CAPACITY);
    inputView = input.getByteBuffer(0, INITIAL_CAPACITY);
    output = new Memory(INITIAL_CAPACITY);
    outputView = output.getByteBuffer(0, INITIAL_CAPACITY);
  }

  static Scratch get() {
    return LOCAL.get();
  }

  /** The input buffer's address, with room for at least {@code size} bytes. */
  long input(int size) {
    if (size > input.size()) {
      input = new Memory(grow(input.size(), size));
      inputView = input.getByteBuffer(0, input.size());
    }
    return Pointer.nativeValue(input);
  }

  /** The input buffer as a ByteBuffer over [0, size); call {@link #input} first. */
  ByteBuffer inputBuffer(int size) {
    inputView.clear().limit(size);
    return inputView;
  }

  /** Copies {@code data} into the input buffer; returns its address. */
  long input(byte[] data) {
    long address = input(data.length);
    input.write(0, data, 0, data.length);
    return address;
  }

  /** The output buffer's address, with room for at least {@code size} bytes. */
  long output(long size) {
    if (size > output.size()) {
      if (size > Integer.MAX_VALUE) throw new OutOfMemoryError("jiceng: output of " + size + " B");
      output = new Memory(grow(output.size(), size));
      outputView = output.getByteBuffer(0, output.size());
    }
    return Pointer.nativeValue(output);
  }

  long outputCapacity() {
    return output.size();
  }

  /** The output buffer as a ByteBuffer over [0, size). */
  ByteBuffer outputBuffer(int size) {
    outputView.clear().limit(size);
    return outputView;
  }

  byte[] outputBytes(int size) {
    return output.getByteArray(0, size);
  }

  /** The handle a create call wrote into the first slot. */
  long handle() {
    return slots.getLong(0);
  }

  /** The size a call wrote into the size slot. */
  long size() {
    return slots.getLong(8);
  }

  /**
   * Takes the library-allocated buffer a call returned through the (out, outSize) slots: copies
   * it onto the Java heap and frees it with {@code jc_free}.
   */
  byte[] takeBuffer() {
    long address = slots.getLong(0);
    long size = slots.getLong(8);
    try {
      if (size > Integer.MAX_VALUE - 8) {
        throw new OutOfMemoryError("jiceng: a result of " + size + " bytes exceeds a Java array");
      }
      return size == 0 ? new byte[0] : new Pointer(address).getByteArray(0, (int) size);
    } finally {
      CApi.jc_free(address);
    }
  }

  /** The exception for a failed call: its status and the message it wrote (freed here). */
  JicengException failure(int status) {
    long address = slots.getLong(16);
    String message;
    if (address == 0) {
      message = "(no message)";
    } else {
      message = new Pointer(address).getString(0, StandardCharsets.UTF_8.name());
      CApi.jc_free(address);
    }
    return new JicengException(status, message);
  }

  /** Throws the failure unless {@code status} is OK. */
  void check(int status) throws JicengException {
    if (status != 0) throw failure(status);
  }

  private static long grow(long capacity, long needed) {
    long c = Math.max(capacity, 1);
    while (c < needed) c *= 2;
    return Math.min(c, Math.max(needed, Integer.MAX_VALUE - 8));
  }
}
