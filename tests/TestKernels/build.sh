#!/bin/sh
# Builds the multiboot test kernels: build.sh [output-directory] (default: out/test-kernels in the repository).
# Pure assembly: gcc -m32 -c runs the preprocessor and 'as --32'; no gcc-multilib or libc is needed.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../../out/test-kernels}
mkdir -p "$out/obj"
CC=${CC:-gcc}
LD=${LD:-ld}
$CC -m32 -c -I"$here" -o "$out/obj/common.o" "$here/common.S"
for source in "$here"/*.S; do
    name=$(basename "$source" .S)
    [ "$name" = common ] && continue
    $CC -m32 -c -I"$here" -o "$out/obj/$name.o" "$source"
    $LD -m elf_i386 -T "$here/kernel.ld" -z max-page-size=0x1000 -z noexecstack --no-warn-rwx-segments --build-id=none \
        -o "$out/$name.elf" "$out/obj/common.o" "$out/obj/$name.o"
done
