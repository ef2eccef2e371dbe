# Copyright 2026 The jiceng Authors.
# SPDX-License-Identifier: Apache-2.0
#
# cmake -P script: encode INPUT (text proto of MESSAGE) to binary with
# PROTOC and write OUTPUT, a .cc holding the bytes as jiceng::SYMBOL.

get_filename_component(_out_dir ${OUTPUT} DIRECTORY)
file(MAKE_DIRECTORY ${_out_dir})
set(_bin ${OUTPUT}.binpb)
execute_process(
  COMMAND ${PROTOC} -I ${PROTO_ROOT} --encode=${MESSAGE} ${PROTO_FILE}
  INPUT_FILE ${INPUT}
  OUTPUT_FILE ${_bin}
  ERROR_VARIABLE _err
  RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "protoc could not encode ${INPUT}:\n${_err}")
endif()
file(READ ${_bin} _hex HEX)
file(SIZE ${_bin} _size)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," _bytes "${_hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)"
       "\\1\n" _bytes "${_bytes}")
file(WRITE ${OUTPUT}.tmp
"// Generated from ${INPUT} by cmake/EmbedTextproto.cmake. Do not edit.
#include <cstddef>
namespace jiceng {
extern const unsigned char ${SYMBOL}[];
extern const size_t ${SYMBOL}Size;
alignas(16) const unsigned char ${SYMBOL}[] = {
${_bytes}
0x00};
const size_t ${SYMBOL}Size = ${_size};
}  // namespace jiceng
")
file(RENAME ${OUTPUT}.tmp ${OUTPUT})
file(REMOVE ${_bin})
