// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

package cn.jiceng;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import com.sun.jna.Native;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example of the binding's README (its "Use" section) compiles and runs as written. */
class ReadmeTest {
  /** The first ```java block after the line {@code heading}. */
  private static String javaBlockAfter(String markdown, String heading) {
    int at = markdown.indexOf("\n" + heading + "\n");
    assertTrue(at >= 0, "no " + heading + " in the README");
    int begin = markdown.indexOf("```java\n", at);
    assertTrue(begin >= 0, "no java block after " + heading);
    begin += "```java\n".length();
    int end = markdown.indexOf("```\n", begin);
    return markdown.substring(begin, end);
  }

  @Test
  void theUseExampleCompilesAndRuns(@TempDir Path dir) throws Exception {
    String readme = System.getProperty("jiceng.readme");
    String library = System.getProperty("jiceng.library");
    Assumptions.assumeTrue(
        readme != null && library != null,
        "run with -Djiceng.readme and -Djiceng.library (as ctest does)");
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    Assumptions.assumeTrue(javac != null, "a JDK runs the tests");

    String example = javaBlockAfter(Files.readString(Path.of(readme)), "## Use");
    Matcher m = Pattern.compile("public class (\\w+)").matcher(example);
    assertTrue(m.find(), example);
    String name = m.group(1);
    Files.writeString(dir.resolve(name + ".java"), example);
    String classPath =
        String.join(
            File.pathSeparator,
            BoundaryTest.jarOf(Engine.class),
            BoundaryTest.jarOf(Message.class),
            BoundaryTest.jarOf(Native.class));
    ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
    int rc =
        javac.run(
            null,
            diagnostics,
            diagnostics,
            "-Xlint:all",
            "-Werror",
            "-cp",
            classPath,
            "-d",
            dir.toString(),
            dir.resolve(name + ".java").toString());
    assertEquals(0, rc, diagnostics.toString(StandardCharsets.UTF_8));

    // The dataset the example loads, in the working directory.
    Files.writeString(
        dir.resolve("luhe.textproto"), TextFormat.printer().printToString(Jiceng.sampleDataset()));
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djiceng.library=" + library,
                "-cp",
                dir + File.pathSeparator + classPath,
                name)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the example did not finish");
    assertEquals(0, p.exitValue(), output);
    assertTrue(output.contains(" leads, tier "), output);
  }
}
