# Copyright 2026 The jiceng Authors.
# SPDX-License-Identifier: Apache-2.0

# Settings every jiceng target shares, scoped to the target.
function(jiceng_target_defaults target)
  target_compile_features(${target} PRIVATE cxx_std_17)
  set_target_properties(${target} PROPERTIES
    CXX_EXTENSIONS OFF
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE
      $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wno-unused-parameter>
      $<$<COMPILE_LANGUAGE:C>:-Wall -Wextra>)
  endif()
endfunction()

# jiceng_embed_textproto(INPUT f.textproto OUTPUT f.cc MESSAGE pkg.Msg
#                        SYMBOL kName)
# Encodes a text proto to binary with protoc and writes a .cc defining
#   namespace jiceng { extern const unsigned char kName[]; extern const
#   size_t kNameSize; }
function(jiceng_embed_textproto)
  cmake_parse_arguments(E "" "INPUT;OUTPUT;MESSAGE;SYMBOL" "" ${ARGN})
  add_custom_command(
    OUTPUT ${E_OUTPUT}
    COMMAND ${CMAKE_COMMAND}
      -DPROTOC=$<TARGET_FILE:protobuf::protoc>
      -DPROTO_ROOT=${PROJECT_SOURCE_DIR}/proto
      -DPROTO_FILE=jiceng/v1/dataset.proto
      -DMESSAGE=${E_MESSAGE}
      -DINPUT=${E_INPUT}
      -DOUTPUT=${E_OUTPUT}
      -DSYMBOL=${E_SYMBOL}
      -P ${PROJECT_SOURCE_DIR}/cmake/EmbedTextproto.cmake
    DEPENDS ${E_INPUT} ${PROJECT_SOURCE_DIR}/cmake/EmbedTextproto.cmake
            ${JICENG_PROTO_FILES_ABS}
    COMMENT "Embedding ${E_INPUT}"
    VERBATIM)
endfunction()
