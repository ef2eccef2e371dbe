# Copyright 2026 The jiceng Authors.
# SPDX-License-Identifier: Apache-2.0
#
# cmake -DDIR=d -DOUTPUT=f -P ListJavaSources.cmake
# Writes a javac @argfile listing every .java file protoc wrote under DIR.
# (protoc emits one file per message and enum, so the list is known only
# after it runs; hand-written sources are listed explicitly in CMakeLists.)

file(GLOB_RECURSE _files LIST_DIRECTORIES false "${DIR}/*.java")
list(SORT _files)
list(JOIN _files "\n" _text)
file(WRITE "${OUTPUT}" "${_text}\n")
