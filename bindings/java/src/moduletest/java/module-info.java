// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

/**
 * An integrator's named module that uses jiceng on the module path (ctest
 * java_module_path_test): jiceng.jar is the automatic module {@code cn.jiceng} by its manifest's
 * {@code Automatic-Module-Name}, whatever its file is called. Reading it gives this module the
 * other automatic modules too (protobuf-java, JNA), whose names come from their own jars.
 */
module cn.jiceng.moduletest {
  requires cn.jiceng;
  requires java.xml; // PomCheck
}
