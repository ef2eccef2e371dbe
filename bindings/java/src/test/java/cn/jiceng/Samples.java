// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

package cn.jiceng;

import cn.jiceng.v1.BatchEntry;
import cn.jiceng.v1.Case;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The sample cases and what the C++ API decides for them, as written by the C ABI test's fixture
 * (tests/c_api_expected_main.cc) into the directory named by {@code -Djiceng.testdata}.
 */
final class Samples {
  /** One case's expected result: the decision's bytes as C++ serialized them, or the error. */
  static final class Expected {
    final BatchEntry entry;
    /** The raw bytes of BatchEntry.decision, untouched by Java; null for an error. */
    final byte[] decision;

    Expected(BatchEntry entry, byte[] decision) {
      this.entry = entry;
      this.decision = decision;
    }
  }

  private Samples() {}

  private static Path dir() {
    String dir = System.getProperty("jiceng.testdata");
    if (dir == null) throw new IllegalStateException("run with -Djiceng.testdata=DIR");
    return Path.of(dir);
  }

  static byte[] caseStream() throws IOException {
    return Files.readAllBytes(dir().resolve("sample_cases.binpb"));
  }

  /** The frames of a length-delimited stream. */
  static List<ByteString> frames(byte[] stream) throws IOException {
    List<ByteString> frames = new ArrayList<>();
    CodedInputStream in = CodedInputStream.newInstance(stream);
    while (!in.isAtEnd()) frames.add(in.readBytes());
    return frames;
  }

  static List<Case> cases() throws IOException {
    List<Case> cases = new ArrayList<>();
    for (ByteString frame : frames(caseStream())) cases.add(Case.parseFrom(frame));
    return cases;
  }

  /** The raw serialized cases, one array per case. */
  static List<byte[]> caseBytes() throws IOException {
    List<byte[]> cases = new ArrayList<>();
    for (ByteString frame : frames(caseStream())) cases.add(frame.toByteArray());
    return cases;
  }

  static List<Expected> expected(boolean explained) throws IOException {
    String name = explained ? "expected_explain.binpb" : "expected.binpb";
    return entries(Files.readAllBytes(dir().resolve(name)));
  }

  /** The frames of {@code NAME_requests.binpb} (the closed loop's requests: apply, ...). */
  static List<ByteString> loopRequests(String name) throws IOException {
    return frames(Files.readAllBytes(dir().resolve(name + "_requests.binpb")));
  }

  /**
   * The frames of {@code NAME_expected.binpb}: per request, one byte with the C++ API's status
   * code, then on 0 its serialized response.
   */
  static List<ByteString> loopExpected(String name) throws IOException {
    return frames(Files.readAllBytes(dir().resolve(name + "_expected.binpb")));
  }

  /** The entries of a BatchEntry stream, each with its decision's raw bytes. */
  static List<Expected> entries(byte[] stream) throws IOException {
    List<Expected> out = new ArrayList<>();
    for (ByteString frame : frames(stream)) {
      out.add(new Expected(BatchEntry.parseFrom(frame), rawField(frame, 3)));
    }
    return out;
  }

  /** The bytes of a length-delimited field as they are in {@code message}, or null. */
  static byte[] rawField(ByteString message, int number) throws IOException {
    CodedInputStream in = message.newCodedInput();
    byte[] found = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (WireFormat.getTagFieldNumber(tag) == number
          && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        found = in.readByteArray();
      } else {
        in.skipField(tag);
      }
    }
    return found;
  }
}
