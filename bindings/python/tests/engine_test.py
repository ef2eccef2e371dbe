# Copyright 2026 The jiceng Authors.
# SPDX-License-Identifier: Apache-2.0
"""Loading engines, their lifetime, errors, validation."""

import copy
import pickle

import pytest

import jiceng
from jiceng import errors
from jiceng.v1 import dataset_pb2, engine_info_pb2, validation_pb2

from conftest import SOURCE_ROOT

SAMPLE_TEXTPROTO = SOURCE_ROOT / "src/sample/sample_dataset.textproto"
EVERY_ERROR = SOURCE_ROOT / "tests/data/every_error.textproto"


def test_version_matches_the_package():
    from importlib import metadata
    assert jiceng.version() == metadata.version("jiceng")


def test_sample_info():
    with jiceng.Engine.sample() as e:
        info = e.info()
    assert isinstance(info, engine_info_pb2.EngineInfo)
    assert info.library_version == jiceng.version()
    assert info.region_count > 0 and info.rule_count > 0


def test_load_from_path_bytes_and_message_agree():
    by_path = jiceng.Engine.load(SAMPLE_TEXTPROTO)
    by_str = jiceng.Engine.load(str(SAMPLE_TEXTPROTO), jiceng.Format.TEXT)
    by_text = jiceng.Engine.load(SAMPLE_TEXTPROTO.read_bytes())
    dataset = jiceng.sample_dataset()
    assert isinstance(dataset, dataset_pb2.Dataset)
    by_message = jiceng.Engine.load(dataset)
    by_binary = jiceng.Engine.load(bytearray(dataset.SerializeToString()),
                                   format=jiceng.Format.BINARY)
    infos = [e.info() for e in (by_path, by_str, by_text, by_message,
                                by_binary)]
    for e in (by_path, by_str, by_text, by_message, by_binary):
        e.close()
    assert all(i == infos[0] for i in infos)
    assert infos[0].region_count > 0


def test_missing_file_is_not_found():
    with pytest.raises(jiceng.NotFoundError) as info:
        jiceng.Engine.load("/nonexistent/dataset.textproto")
    assert info.value.code == errors.NOT_FOUND
    assert info.value.code_name == "NOT_FOUND"
    assert "/nonexistent/dataset.textproto" in info.value.message


def test_invalid_dataset_is_invalid_argument_naming_the_first_error():
    with pytest.raises(jiceng.InvalidArgumentError) as info:
        jiceng.Engine.load(EVERY_ERROR)
    e = info.value
    assert isinstance(e, jiceng.JicengError)
    assert e.code == 3 and e.code_name == "INVALID_ARGUMENT"
    assert "errors; first:" in e.message
    assert str(e).startswith("INVALID_ARGUMENT: ")


def test_unparsable_bytes_and_bad_format():
    with pytest.raises(jiceng.InvalidArgumentError):
        jiceng.Engine.load(b"\xff\xff\xff", jiceng.Format.BINARY)
    with pytest.raises(jiceng.InvalidArgumentError):
        jiceng.Engine.load(b"\xff\xff\xff", "binary")


def test_a_format_is_taken_by_its_name_in_any_case(tmp_path):
    dataset = jiceng.sample_dataset()
    binary = tmp_path / "luhe.data"  # no extension that names a format
    binary.write_bytes(dataset.SerializeToString())
    with jiceng.Engine.sample() as sample:
        want = sample.info()
    for fmt in ("binary", "BINARY", "Binary", jiceng.Format.BINARY, 1):
        with jiceng.Engine.load(binary, fmt) as e:
            assert e.info() == want, fmt
        with jiceng.Engine.load(str(binary), format=fmt) as e:
            assert e.info() == want, fmt
    with jiceng.Engine.load(SAMPLE_TEXTPROTO, "text") as e:
        assert e.info() == want
    with jiceng.Engine.load(SAMPLE_TEXTPROTO.read_bytes(), "auto") as e:
        assert e.info() == want
    # The name decides: text bytes read as JSON do not parse.
    with pytest.raises(jiceng.InvalidArgumentError):
        jiceng.Engine.load(SAMPLE_TEXTPROTO.read_bytes(), "json")
    assert jiceng.validate(dataset.SerializeToString(),
                           "binary").error_count == 0
    with pytest.raises(jiceng.InvalidArgumentError):
        jiceng.validate(b"{not json", "Json")


def test_a_format_that_is_not_one_names_the_accepted_values():
    accepted = "'auto', 'binary', 'json', 'text'"
    for bad in ("bin", "", "binary ", 7, -1):
        with pytest.raises(ValueError) as info:
            jiceng.Engine.load(b"", bad)
        assert str(info.value).startswith("format must be a jiceng.Format")
        assert accepted in str(info.value) and repr(bad) in str(info.value)
        with pytest.raises(ValueError, match="^format must be"):
            jiceng.validate(b"", bad)
        with pytest.raises(ValueError, match="^format must be"):
            jiceng.Engine.load("/nonexistent/luhe.binpb", bad)
    for bad in (None, 1.0, True, b"binary", jiceng.Format):
        with pytest.raises(TypeError) as info:
            jiceng.Engine.load(b"", bad)
        assert str(info.value).startswith("format must be a jiceng.Format")
        assert accepted in str(info.value)
        assert type(bad).__name__ in str(info.value)


def test_wrong_argument_types_raise_type_error():
    with pytest.raises(TypeError):
        jiceng.Engine.load(42)
    with pytest.raises(TypeError, match="jiceng.v1.Dataset"):
        jiceng.Engine.load(engine_info_pb2.EngineInfo())


def test_validate_lists_every_problem():
    report = jiceng.validate(EVERY_ERROR.read_bytes())
    assert report.error_count > 1
    assert report.error_count == sum(
        1 for p in report.problems
        if p.severity == validation_pb2.SEVERITY_ERROR)
    assert all(p.rule and p.message for p in report.problems)
    clean = jiceng.validate(jiceng.sample_dataset())
    assert clean.error_count == 0
    with pytest.raises(jiceng.InvalidArgumentError):
        jiceng.validate(b"{not json", jiceng.Format.JSON)


def test_close_is_idempotent_and_use_after_close_raises():
    e = jiceng.Engine.sample()
    assert not e.closed
    e.close()
    e.close()
    assert e.closed
    assert "closed" in repr(e)
    with pytest.raises(jiceng.FailedPreconditionError) as info:
        e.info()
    assert info.value.code == errors.FAILED_PRECONDITION


def test_context_manager_closes_even_on_error():
    with pytest.raises(RuntimeError):
        with jiceng.Engine.sample() as e:
            raise RuntimeError("boom")
    assert e.closed


def test_engine_is_neither_copied_nor_pickled():
    with jiceng.Engine.sample() as e:
        with pytest.raises(TypeError):
            copy.copy(e)
        with pytest.raises(TypeError):
            copy.deepcopy(e)
        with pytest.raises(TypeError):
            pickle.dumps(e)


def test_unclosed_engines_are_released_by_the_collector():
    import gc
    import weakref
    e = jiceng.Engine.sample()
    ref = weakref.ref(e)
    del e
    gc.collect()
    assert ref() is None


def test_errors_map_codes_to_subclasses_and_pickle():
    assert isinstance(errors.error_for(5, "x"), jiceng.NotFoundError)
    assert isinstance(errors.error_for(8, "x"), jiceng.ResourceExhaustedError)
    assert isinstance(errors.error_for(11, "x"), jiceng.OutOfRangeError)
    unknown = errors.error_for(99, "future code")
    assert type(unknown) is jiceng.JicengError
    assert unknown.code_name == "UNKNOWN_STATUS"
    e = errors.error_for(3, "matter_code: unknown", index=4, case_id="c-4")
    assert str(e) == "case 4 (c-4): INVALID_ARGUMENT: matter_code: unknown"
    # A message that names the case already names it once in str().
    named = errors.error_for(3, "case 4: jiceng.v1.Case (2 bytes) is cut",
                             index=4)
    assert str(named) == \
        "case 4: INVALID_ARGUMENT: jiceng.v1.Case (2 bytes) is cut"
    assert named.message == "case 4: jiceng.v1.Case (2 bytes) is cut"
    other = errors.error_for(3, "case 40: x", index=4)
    assert str(other) == "case 4: INVALID_ARGUMENT: case 40: x"
    alone = errors.error_for(3, "case 4: x")
    assert str(alone) == "INVALID_ARGUMENT: case 4: x"
    back = pickle.loads(pickle.dumps(e))
    assert type(back) is jiceng.InvalidArgumentError
    assert (back.code, back.message, back.index, back.case_id) == \
        (3, "matter_code: unknown", 4, "c-4")


def test_status_names_agree_with_the_library():
    from jiceng import _native
    lib = _native.lib()
    for code in list(range(-1, 20)) + [99, 100, 101]:
        assert jiceng.status_name(code) == \
            lib.jc_status_name(code).decode("ascii")
