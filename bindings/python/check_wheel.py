# Copyright 2026 The jiceng Authors.
# SPDX-License-Identifier: Apache-2.0
"""Builds a wheel from the staged package, offline, and checks that it is
tagged for this platform: the package carries a native library, so a
`py3-none-any` wheel would install anywhere and fail at load time. The
wheel must also carry the library and the licence text (in its .dist-info).

    python check_wheel.py --package-dir <staged> --work-dir <scratch>
                          --library libjiceng.so.1 [--stripped]

With --stripped, the library must carry no debug sections (.debug_*): the
staged copy is stripped of them (a RelWithDebInfo build's library is ~17
times larger with them).

The staged package is copied into the scratch folder first, so that the
build does not touch it (python_install builds from it in place).
"""

import argparse
import email.parser
import struct
import pathlib
import shutil
import subprocess
import sys
import sysconfig
import zipfile


def supported_tags():
    """The tags this interpreter's pip accepts, as 'py3-none-linux_x86_64'."""
    try:
        from packaging import tags
    except ImportError:
        from pip._vendor.packaging import tags
    return {str(t) for t in tags.sys_tags()}


def expected_platform():
    """The platform tag bdist_wheel gives a non-pure wheel here."""
    plat = sysconfig.get_platform()
    if plat in ("linux-x86_64", "linux_x86_64") and sys.maxsize == 2**31 - 1:
        plat = "linux_i686"
    return plat.lower().replace("-", "_").replace(".", "_")


def elf_section_names(image):
    """The section names of a little-endian ELF64 image (bytes)."""
    if image[:4] != b"\x7fELF" or image[4] != 2 or image[5] != 1:
        raise ValueError("not a little-endian ELF64 file")
    shoff, = struct.unpack_from("<Q", image, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", image, 0x3A)

    def section(i):
        # sh_name, sh_type, sh_flags, sh_addr, sh_offset, sh_size
        return struct.unpack_from("<IIQQQQ", image, shoff + i * shentsize)

    _, _, _, _, str_off, str_size = section(shstrndx)
    strings = image[str_off:str_off + str_size]
    names = []
    for i in range(shnum):
        name = section(i)[0]
        names.append(strings[name:strings.index(b"\0", name)].decode())
    return names


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--package-dir", required=True, type=pathlib.Path)
    parser.add_argument("--work-dir", required=True, type=pathlib.Path)
    parser.add_argument("--library", required=True,
                        help="the native library's file name in jiceng/")
    parser.add_argument("--stripped", action="store_true",
                        help="the library must carry no .debug_* sections")
    args = parser.parse_args()

    failures = []

    def check(ok, what):
        if not ok:
            failures.append(what)

    src = args.work_dir / "src"
    dist = args.work_dir / "dist"
    shutil.rmtree(args.work_dir, ignore_errors=True)
    shutil.copytree(args.package_dir, src, ignore=shutil.ignore_patterns(
        "build", "*.egg-info", "__pycache__"))
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-index",
         "--no-build-isolation", "--no-deps", "--no-cache-dir",
         "--disable-pip-version-check", "-w", str(dist), str(src)],
        check=True)

    wheels = sorted(dist.glob("*.whl"))
    if len(wheels) != 1:
        sys.exit(f"check_wheel: expected one wheel in {dist}, found "
                 f"{[w.name for w in wheels]}")
    wheel = wheels[0]
    print(f"check_wheel: built {wheel.name}")

    # name-version-python-abi-platform.whl (no build tag here).
    parts = wheel.name[:-len(".whl")].split("-")
    check(len(parts) == 5 and parts[0] == "jiceng",
          f"unexpected wheel file name {wheel.name}")
    tag = "-".join(parts[2:])
    want = f"py3-none-{expected_platform()}"
    check(tag == want, f"file name tag {tag}, expected {want}")
    check(tag in supported_tags(),
          f"tag {tag} is not one this interpreter's pip accepts")

    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        dist_info = f"{parts[0]}-{parts[1]}.dist-info"
        metadata = email.parser.Parser().parsestr(
            zf.read(f"{dist_info}/WHEEL").decode())
        check(metadata["Root-Is-Purelib"] == "false",
              f"WHEEL has Root-Is-Purelib: {metadata['Root-Is-Purelib']}, "
              "expected false")
        check(metadata.get_all("Tag") == [want],
              f"WHEEL has Tag: {metadata.get_all('Tag')}, expected [{want}]")

        library = f"jiceng/{args.library}"
        if library in names:
            staged = (args.package_dir / library).read_bytes()
            check(zf.read(library) == staged,
                  f"{library} in the wheel differs from the staged copy")
            if args.stripped:
                debug = [n for n in elf_section_names(staged)
                         if n.startswith(".debug")]
                check(not debug, f"{library} carries debug sections {debug} "
                      f"({len(staged)} bytes)")
        else:
            check(False, f"{library} is not in the wheel")
        for module in ("jiceng/__init__.py", "jiceng/py.typed",
                       "jiceng/v1/routing_pb2.py",
                       "jiceng/v1/routing_pb2.pyi"):
            check(module in names, f"{module} is not in the wheel")
        # The licence text (Apache-2.0 4(a)): dist-info/LICENSE with
        # Debian 12's wheel 0.38, dist-info/licenses/LICENSE with newer ones.
        licences = [n for n in names if n.startswith(f"{dist_info}/")
                    and n.rsplit("/", 1)[-1] == "LICENSE"]
        staged_licence = args.package_dir / "LICENSE"
        check(len(licences) == 1,
              f"expected one LICENSE in {dist_info}, found {licences}")
        if licences and staged_licence.exists():
            check(zf.read(licences[0]) == staged_licence.read_bytes(),
                  f"{licences[0]} in the wheel differs from {staged_licence}")
        data = [n for n in names if n.startswith(f"{parts[0]}-{parts[1]}.data/")]
        check(not data, f"files under .data/ instead of the wheel's root "
              f"(e.g. {data[:1]})")

    for failure in failures:
        print(f"check_wheel: FAIL: {failure}", file=sys.stderr)
    if failures:
        sys.exit(1)
    print(f"check_wheel: {wheel.name} ({wheel.stat().st_size} bytes): "
          f"Root-Is-Purelib false, Tag {want}, {library} and LICENSE inside"
          + (", no debug sections" if args.stripped else ""))


if __name__ == "__main__":
    main()
