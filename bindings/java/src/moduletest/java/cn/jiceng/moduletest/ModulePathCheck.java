// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

package cn.jiceng.moduletest;

import cn.jiceng.Engine;
import cn.jiceng.Jiceng;
import cn.jiceng.v1.Case;
import cn.jiceng.v1.RoutingDecision;
import cn.jiceng.v1.RoutingOutcome;
import java.lang.module.ModuleDescriptor;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

/**
 * Run on the module path: {@code java --module-path <this module>:jiceng.jar:<deps> -m
 * cn.jiceng.moduletest/cn.jiceng.moduletest.ModulePathCheck JICENG_JAR VERSION}. Checks that
 * jiceng.jar is the automatic module cn.jiceng holding both packages, that its manifest carries
 * the module name and the version, that initialising cn.jiceng.Jiceng loads the native library
 * (an application server's hook), then opens the embedded sample engine and routes the README's
 * case. Prints one line and exits 0, or names the first failure and exits 1.
 */
public final class ModulePathCheck {
  private ModulePathCheck() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      fail("usage: ModulePathCheck JICENG_JAR VERSION");
    }
    String jarPath = args[0];
    String version = args[1];

    // Initialising cn.jiceng.Jiceng by name, as an application server's
    // classesToInitialize does (and as Jiceng.load() does), loads the native library.
    expect("libjiceng.so mapped before the binding is used", false, libraryMapped());
    Class.forName("cn.jiceng.Jiceng", true, ModulePathCheck.class.getClassLoader());
    expect("libjiceng.so mapped once cn.jiceng.Jiceng is initialised", true, libraryMapped());
    Jiceng.load();  // again: nothing more happens

    Module module = Engine.class.getModule();
    expect("module of cn.jiceng.Engine", "cn.jiceng", module.getName());
    ModuleDescriptor descriptor = module.getDescriptor();
    if (!descriptor.isAutomatic()) {
      fail("cn.jiceng should be an automatic module (jiceng.jar has no module-info): " + descriptor);
    }
    expect("packages of cn.jiceng", Set.of("cn.jiceng", "cn.jiceng.v1"), descriptor.packages());
    if (Case.class.getModule() != module) {
      fail("cn.jiceng.v1.Case is in " + Case.class.getModule() + ", not in cn.jiceng");
    }
    if (!ModulePathCheck.class.getModule().canRead(module)) {
      fail(ModulePathCheck.class.getModule() + " does not read cn.jiceng");
    }

    try (JarFile jar = new JarFile(jarPath)) {
      Attributes main = jar.getManifest().getMainAttributes();
      expect(jarPath + " Automatic-Module-Name", "cn.jiceng", main.getValue("Automatic-Module-Name"));
      expect(jarPath + " Implementation-Title", "jiceng", main.getValue("Implementation-Title"));
      expect(jarPath + " Implementation-Version", version, main.getValue("Implementation-Version"));
    }
    expect("the native library's version (Jiceng.version())", version, Jiceng.version());

    try (Engine engine = Engine.sample()) {
      Case c =
          Case.newBuilder()
              .setId("c-1")
              .setMatterCode("01005")
              .setLocationCode(320116001001L)
              .setReportedAt(1790647200L)
              .build();
      RoutingDecision d = engine.route(c);
      expect("decision's case id", "c-1", d.getCaseId());
      expect("decision's outcome", RoutingOutcome.ROUTING_OUTCOME_ROUTED, d.getOutcome());
      if (d.getLead().getCode().isEmpty()) {
        fail("the decision names no lead: " + d);
      }
      System.out.println(
          "module path ok: "
              + module.getName()
              + " "
              + version
              + " (automatic, "
              + jarPath
              + "); case c-1: "
              + d.getLead().getCode()
              + " leads, tier "
              + d.getTier());
    }
  }

  /** Whether this process has libjiceng mapped (/proc/self/maps). */
  private static boolean libraryMapped() throws java.io.IOException {
    return java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/maps")).stream()
        .anyMatch(line -> line.contains("libjiceng.so"));
  }

  private static void expect(String what, Object want, Object got) {
    if (!want.equals(got)) {
      fail(what + ": expected " + want + ", got " + got);
    }
  }

  private static void fail(String message) {
    System.err.println("ModulePathCheck: " + message);
    System.exit(1);
  }
}
