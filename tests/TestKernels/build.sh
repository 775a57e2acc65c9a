#!/bin/sh
# Builds the multiboot test kernels: build.sh [output-directory] (default: out/test-kernels in the repository).
# Pure assembly: gcc -m32 -c runs the preprocessor and 'as --32'; no gcc-multilib or libc is needed.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../../out/test-kernels}
CC=${CC:-gcc}
LD=${LD:-ld}
# The test build sets KVMPS_KERNELS_OPTIONAL=1: without an x86 toolchain the kernels are skipped (their tests say why).
missing=
case $(uname -m) in x86_64|i?86) ;; *) missing="this is not an x86 host" ;; esac
command -v "$CC" >/dev/null 2>&1 && command -v "$LD" >/dev/null 2>&1 || missing="${missing:-$CC or $LD is not installed (install gcc and binutils)}"
if [ -n "$missing" ]; then
    echo "build.sh: test kernels not built: $missing" >&2
    [ "${KVMPS_KERNELS_OPTIONAL:-0}" = 1 ] && exit 0
    exit 1
fi
mkdir -p "$out/obj"
$CC -m32 -c -I"$here" -o "$out/obj/common.o" "$here/common.S"
for source in "$here"/*.S; do
    name=$(basename "$source" .S)
    [ "$name" = common ] && continue
    $CC -m32 -c -I"$here" -o "$out/obj/$name.o" "$source"
    $LD -m elf_i386 -T "$here/kernel.ld" -z max-page-size=0x1000 -z noexecstack --no-warn-rwx-segments --build-id=none \
        -o "$out/$name.elf" "$out/obj/common.o" "$out/obj/$name.o"
done
# The same long-mode kernel as an ELF64 (EM_X86_64) file, as 64-bit multiboot kernels are usually linked.
${OBJCOPY:-objcopy} -O elf64-x86-64 "$out/longmode.elf" "$out/longmode64.elf"
