# Copyright 2026 The jiceng Authors.
# SPDX-License-Identifier: Apache-2.0
"""The jiceng.v1 message classes, generated from proto/jiceng/v1/*.proto by
the build (``from jiceng.v1 import routing_pb2``)."""
