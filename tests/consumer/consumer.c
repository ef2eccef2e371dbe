/*
 * Copyright 2026 The jiceng Authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * A downstream C program built against the installed jiceng package: it
 * compiles the embedded sample, asks for the engine's info and prints
 * "consumer ok" when everything worked.
 */

#include <stdio.h>

#include <jiceng/jiceng.h>

int main(void) {
  jc_engine* engine = NULL;
  char* error = NULL;
  void* info = NULL;
  size_t info_size = 0;

  if (jc_engine_create_sample(&engine, &error) != JC_OK) {
    fprintf(stderr, "consumer: jc_engine_create_sample: %s\n",
            error != NULL ? error : "(no message)");
    jc_free(error);
    return 1;
  }
  if (jc_engine_info(engine, &info, &info_size, &error) != JC_OK) {
    fprintf(stderr, "consumer: jc_engine_info: %s\n",
            error != NULL ? error : "(no message)");
    jc_free(error);
    jc_engine_destroy(engine);
    return 1;
  }
  printf("jiceng %s (number %u, ABI %d); compiled against %d.%d.%d\n",
         jc_version_string(), (unsigned)jc_version_number(),
         jc_abi_version(), JC_VERSION_MAJOR, JC_VERSION_MINOR,
         JC_VERSION_PATCH);
  printf("sample engine info: %lu bytes\n", (unsigned long)info_size);
  jc_free(info);
  jc_engine_destroy(engine);

  if (jc_abi_version() != JC_ABI_VERSION ||
      jc_version_number() != JC_VERSION_NUMBER || info_size == 0) {
    fprintf(stderr, "consumer: the library does not match its header\n");
    return 1;
  }
  printf("consumer ok\n");
  return 0;
}
