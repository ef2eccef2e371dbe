// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

package cn.jiceng;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The C ABI, bound with JNA direct mapping ({@code Native.register}): about 20x cheaper per call
 * than interface mapping. Every pointer and {@code size_t} crosses as a {@code long} (an address
 * or a byte count), so that no argument needs JNA's conversion; this needs a 64-bit platform,
 * which the loader checks. Internal: use {@link Engine} and {@link Jiceng}.
 */
final class CApi {
  /** The ABI version (SONAME number) this binding is written against. */
  static final int ABI_VERSION = 1;

  /** {@code JC_MAX_INPUT_BYTES}. */
  static final long MAX_INPUT_BYTES = 1L << 30;

  /**
   * The library's file name by SONAME, {@code libjiceng.so.1}: looked up without a path, JNA
   * searches {@code jna.library.path}, then the system's library path, for exactly this name. A
   * bare {@code "jiceng"} would take {@code libjiceng.so} or else the highest {@code
   * libjiceng.so.N}, which is another ABI as soon as a {@code libjiceng.so.2} is installed beside.
   */
  static final String SONAME = "libjiceng.so." + ABI_VERSION;

  static {
    if (Native.POINTER_SIZE != 8 || Native.SIZE_T_SIZE != 8) {
      throw new UnsatisfiedLinkError("jiceng's Java binding needs a 64-bit platform");
    }
    NativeLibrary library = open();
    Native.register(CApi.class, library);
    int abi = jc_abi_version();
    if (abi != ABI_VERSION) {
      throw new UnsatisfiedLinkError(
          library.getFile() + " has ABI version " + abi + "; this binding needs " + ABI_VERSION);
    }
  }

  private CApi() {}

  /**
   * {@code -Djiceng.library=FILE} when set, else {@link #SONAME} from the library path. A FILE
   * with a '/' is a path, taken from the working directory when relative: JNA would take {@code
   * ./libjiceng.so.1} for a library name and look for {@code lib./libjiceng.so.1.so}.
   */
  private static NativeLibrary open() {
    String property = System.getProperty("jiceng.library");
    if (property != null && !property.isEmpty()) {
      String file = property;
      try {
        if (property.indexOf('/') >= 0) {
          file = Path.of(property).toAbsolutePath().normalize().toString();
        }
        return NativeLibrary.getInstance(file);
      } catch (UnsatisfiedLinkError | InvalidPathException e) {
        UnsatisfiedLinkError error =
            new UnsatisfiedLinkError(
                "jiceng: cannot load "
                    + file
                    + " (-Djiceng.library="
                    + property
                    + "): "
                    + e.getMessage());
        error.initCause(e);
        throw error;
      }
    }
    try {
      return NativeLibrary.getInstance(SONAME);
    } catch (UnsatisfiedLinkError e) {
      UnsatisfiedLinkError error =
          new UnsatisfiedLinkError(
              "jiceng: cannot load "
                  + SONAME
                  + ": set -Djiceng.library=/path/to/"
                  + SONAME
                  + ", or put its folder on -Djna.library.path or the system's library path ("
                  + e.getMessage()
                  + ")");
      error.initCause(e);
      throw error;
    }
  }

  static native int jc_version_number();

  static native String jc_version_string();

  static native int jc_abi_version();

  static native String jc_status_name(int status);

  static native void jc_free(long p);

  static native int jc_dataset_validate(
      long data, long size, int format, long outReport, long outReportSize, long errorMessage);

  static native int jc_sample_dataset(long outData, long outSize, long errorMessage);

  static native int jc_engine_create(
      long data, long size, int format, long outEngine, long errorMessage);

  static native int jc_engine_create_from_file(
      long path, int format, long outEngine, long errorMessage);

  static native int jc_engine_create_sample(long outEngine, long errorMessage);

  static native void jc_engine_destroy(long engine);

  static native int jc_engine_info(long engine, long outInfo, long outInfoSize, long errorMessage);

  static native int jc_engine_save_snapshot(
      long engine, long outSnapshot, long outSize, long errorMessage);

  static native int jc_engine_create_from_snapshot(
      long data, long size, long outEngine, long errorMessage);

  static native int jc_engine_route(
      long engine,
      long caseData,
      long caseSize,
      int flags,
      long outDecision,
      long outSize,
      long errorMessage);

  static native int jc_engine_route_into(
      long engine,
      long caseData,
      long caseSize,
      int flags,
      long buffer,
      long capacity,
      long outSize,
      long errorMessage);

  static native int jc_engine_route_service(
      long engine,
      long requestData,
      long requestSize,
      long outDecision,
      long outSize,
      long errorMessage);

  static native int jc_engine_route_service_into(
      long engine,
      long requestData,
      long requestSize,
      long buffer,
      long capacity,
      long outSize,
      long errorMessage);

  static native int jc_engine_route_batch_with(
      long engine,
      long casesStream,
      long size,
      long optionsData,
      long optionsSize,
      long outStream,
      long outSize,
      long errorMessage);

  static native int jc_engine_diff(
      long before,
      long after,
      long casesStream,
      long size,
      long outReport,
      long outSize,
      long errorMessage);

  static native int jc_engine_review_admission(
      long engine,
      long requestData,
      long requestSize,
      long outDecision,
      long outSize,
      long errorMessage);

  static native int jc_engine_analyze(
      long engine, long outAnalysis, long outSize, long errorMessage);

  static native int jc_engine_apply(
      long engine,
      long requestData,
      long requestSize,
      long outRecord,
      long outSize,
      long errorMessage);

  static native int jc_engine_supervise(
      long engine,
      long requestData,
      long requestSize,
      long outReport,
      long outSize,
      long errorMessage);

  static native int jc_engine_assess(
      long engine,
      long requestData,
      long requestSize,
      long outReport,
      long outSize,
      long errorMessage);

  static native int jc_assessment_start(
      long engine, long settingsData, long settingsSize, long outAssessment, long errorMessage);

  static native int jc_assessment_add(
      long assessment, long recordsStream, long size, long errorMessage);

  static native int jc_assessment_finish(
      long assessment, long outReport, long outSize, long errorMessage);

  static native void jc_assessment_destroy(long assessment);
}
