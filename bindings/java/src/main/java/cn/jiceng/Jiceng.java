// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

package cn.jiceng;

import cn.jiceng.v1.Dataset;
import cn.jiceng.v1.ValidationReport;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.util.Objects;

/**
 * The library as a whole: its version, the embedded sample dataset, and dataset validation
 * without compiling. Every method is thread-safe.
 *
 * <p>Example:
 *
 * <pre>{@code
 * ValidationReport report = Jiceng.validate(bytes, DatasetFormat.AUTO);
 * for (Problem p : report.getProblemsList()) System.err.println(p);
 * }</pre>
 */
public final class Jiceng {
  private Jiceng() {}

  static {
    // Initialising this class loads the library, so that a server can load it by name before
    // its applications start (Tomcat: classesToInitialize="cn.jiceng.Jiceng").
    load();
  }

  /**
   * Loads the native library and registers it with JNA now, if that has not happened yet;
   * otherwise the first call into the binding does it. For an application server that shares
   * the binding's jars: calling this (or initialising this class) from the server, before any
   * application runs, keeps the applications' class loaders out of what JNA retains (see the
   * binding's README, "In an application server"). Idempotent and thread-safe.
   *
   * @throws UnsatisfiedLinkError when the library cannot be found or loaded
   */
  public static void load() {
    CApi.jc_abi_version();
  }

  /** The runtime library's version, e.g. "0.1.0". */
  public static String version() {
    return CApi.jc_version_string();
  }

  /** The runtime library's version as major * 10000 + minor * 100 + patch. */
  public static int versionNumber() {
    return CApi.jc_version_number();
  }

  /** The runtime library's ABI version (the number in libjiceng.so.N). */
  public static int abiVersion() {
    return CApi.jc_abi_version();
  }

  /** The library's name of a status code, e.g. "INVALID_ARGUMENT"; "UNKNOWN_STATUS" if unknown. */
  public static String statusName(int code) {
    return CApi.jc_status_name(code);
  }

  /** The embedded sample dataset (Nanjing Luhe, 2026) as binary protobuf. */
  public static byte[] sampleDatasetBytes() throws JicengException {
    Scratch s = Scratch.get();
    s.check(CApi.jc_sample_dataset(s.out, s.outSize, s.error));
    return s.takeBuffer();
  }

  /** The embedded sample dataset as a message. */
  public static Dataset sampleDataset() throws JicengException {
    return Engine.parse(Dataset.parser(), sampleDatasetBytes());
  }

  /**
   * Validates a dataset without compiling it: every problem, with its path. The call succeeds
   * when the bytes parse, whatever the report says (check its error count).
   *
   * @throws JicengException INVALID_ARGUMENT when the bytes do not parse as a dataset in {@code
   *     format}
   * @throws NullPointerException when {@code dataset} or {@code format} is null
   */
  public static ValidationReport validate(byte[] dataset, DatasetFormat format)
      throws JicengException {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(format, "format");
    try (Memory m = Engine.copy(dataset)) {
      Scratch s = Scratch.get();
      s.check(
          CApi.jc_dataset_validate(
              Pointer.nativeValue(m), dataset.length, format.value(), s.out, s.outSize, s.error));
      return Engine.parse(ValidationReport.parser(), s.takeBuffer());
    }
  }
}
