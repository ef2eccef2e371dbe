// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

/**
 * The Java binding of jiceng (基层): grassroots-governance routing over the stable C ABI ({@code
 * libjiceng.so.1}), with the {@code jiceng.v1} messages as the protobuf-java classes of {@code
 * cn.jiceng.v1}.
 *
 * <p>Start with {@link cn.jiceng.Engine}: load a dataset once, share the engine between all
 * threads, route cases, close it at shutdown. {@link cn.jiceng.Assessment} assesses a record
 * store fed a part at a time. Failures are checked {@link cn.jiceng.JicengException}s carrying
 * the library's status code.
 *
 * <p>Finding the library: the system property {@code jiceng.library} names the file to load
 * (prefer the versioned {@code /path/to/libjiceng.so.1}); without it JNA looks up the
 * library by its SONAME, exactly {@code libjiceng.so.1}, on {@code jna.library.path} and then
 * the system's library path (never another ABI's {@code libjiceng.so.N}).
 */
package cn.jiceng;
