#!/usr/bin/env bash
# Makes one self-contained folder for a machine with nothing installed (a Kaggle notebook: no internet, no
# apt): bin/megabatch, every shared library it loads in lib/ (glibc and its dynamic loader included), a
# launcher DIR/megabatch, the configs/ profiles and program library, and a README.txt. Prints one line.
#   scripts/package.sh [--binary PATH] [--out DIR]
# Without --binary it builds build/megabatch first (scripts/build.sh megabatch); DIR defaults to dist/megabatch.
set -euo pipefail
export LC_ALL=C  # ldd's messages are matched below

die() {
  printf 'package.sh: %s\n' "$*" >&2
  exit 1
}
usage() {
  printf 'usage: scripts/package.sh [--binary PATH] [--out DIR]\n' >&2
  exit 2
}

binary='' out=''
while (($# > 0)); do
  case $1 in
    --binary) (($# > 1)) || usage; binary=$2; shift 2 ;;
    --out) (($# > 1)) || usage; out=$2; shift 2 ;;
    -h | --help) printf 'usage: scripts/package.sh [--binary PATH] [--out DIR]\n'; exit 0 ;;
    *) usage ;;
  esac
done
# Relative paths are the caller's: make them absolute before moving to the repository root.
[[ -z $binary || $binary == /* ]] || binary=$PWD/$binary
[[ -z $out || $out == /* ]] || out=$PWD/$out
cd "$(dirname "$0")/.."
root=$PWD
out=${out:-$root/dist/megabatch}
out=${out%/}
[[ -n $out ]] || die "--out must not be /"

# DIR is replaced at the end: only when it is a package this script made, or empty, never someone else's files.
if [[ -e $out && -n $(ls -A "$out" 2>/dev/null) && ! (-f $out/README.txt && -f $out/bin/megabatch && -f $out/megabatch) ]]; then
  die "$out exists and is not a megabatch package: remove it or choose another --out"
fi
command -v ldd >/dev/null 2>&1 || die "ldd not found: it is needed to find the libraries the binary loads (Debian: libc-bin)"
if [[ -z $binary ]]; then
  scripts/build.sh megabatch
  binary=$root/build/megabatch
fi
[[ -f $binary ]] || die "no such binary: $binary"
magic=''
IFS= read -r -n 4 magic <"$binary" || true
[[ $magic == $'\x7fELF' ]] || die "not an ELF executable: $binary"

# name -> file of every library to ship; names are the SONAMEs ldd prints, so the loader finds them by name.
declare -A libs=()
loader=''
static=0
# Adds what `ldd FILE` resolves to libs; returns 1 when FILE is statically linked.
resolve() {
  local file=$1 report line name path status=0
  report=$(ldd "$file" 2>&1) || status=$?
  case $report in *'not a dynamic executable'* | *'statically linked'*) return 1 ;; esac
  ((status == 0)) || die "ldd failed on $file: ${report%%$'\n'*}"
  while read -r line; do
    case $line in
      *' => not found'*) die "ldd cannot find ${line%% *}, needed by $file: install it, then package again" ;;
      *' => /'*) name=${line%% => *} path=${line#* => } ;;
      /*)  # the dynamic loader: its path, no '=>'
        path=$line
        name=${line%% *}
        name=${name##*/}
        loader=$name
        ;;
      *) continue ;;  # linux-vdso.so.1 and the like live in the kernel: no file to copy
    esac
    path=${path% (0x*}
    [[ -z ${libs[$name]:-} || ${libs[$name]} -ef $path ]] || die "two files for $name: ${libs[$name]} and $path"
    libs[$name]=$path
  done <<<"$report"
}

resolve "$binary" || static=1
if ((!static)); then
  [[ -n $loader ]] || die "ldd shows no dynamic loader for $binary"
  # oneTBB dlopens libtbbmalloc.so.2 from its own folder when it starts, which ldd cannot see: ship it too,
  # so the package allocates as the build machine does.
  for name in "${!libs[@]}"; do
    if [[ $name == libtbb.so.* && -f ${libs[$name]%/*}/libtbbmalloc.so.2 ]]; then
      libs[libtbbmalloc.so.2]=${libs[$name]%/*}/libtbbmalloc.so.2
      resolve "${libs[libtbbmalloc.so.2]}"
    fi
  done
fi

# Build beside DIR and rename at the end: a failed run never leaves half a package at DIR.
mkdir -p "$(dirname "$out")"
stage=$(mktemp -d "$out.tmp.XXXXXX")
trap 'rm -rf "$stage"' EXIT
chmod 755 "$stage"  # mktemp makes it 0700
mkdir "$stage/bin"
cp -L "$binary" "$stage/bin/megabatch"
chmod 755 "$stage/bin/megabatch"
if ((!static)); then
  mkdir "$stage/lib"
  for name in "${!libs[@]}"; do
    cp -L "${libs[$name]}" "$stage/lib/$name"  # -L: the real file under its SONAME, never a symlink
    chmod 644 "$stage/lib/$name"
  done
  chmod 755 "$stage/lib/$loader"
  # The bundled loader with --library-path replaces the host's loader and library search, so the host's
  # glibc version does not matter. The caller's LD_LIBRARY_PATH comes after lib/: libcudart opens the host's
  # GPU driver (libcuda.so.1, never shipped) at run time, and some hosts point there only through it.
  cat >"$stage/megabatch" <<EOF
#!/bin/sh
# Runs bin/megabatch with the libraries and dynamic loader of lib/; works from any folder and through a symlink.
here=\$(dirname "\$(readlink -f "\$0")")
# megabatch worker starts its runs through this launcher (its own /proc/self/exe is the loader)
export MEGABATCH_LAUNCHER="\$here/megabatch"
exec "\$here/lib/$loader" --library-path "\$here/lib\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}" "\$here/bin/megabatch" "\$@"
EOF
else
  cat >"$stage/megabatch" <<'EOF'
#!/bin/sh
# Runs bin/megabatch (statically linked); works from any folder and through a symlink.
here=$(dirname "$(readlink -f "$0")")
exec "$here/bin/megabatch" "$@"
EOF
fi
chmod 755 "$stage/megabatch"
mkdir "$stage/configs"
cp -R configs/*.toml configs/programs "$stage/configs/"
find "$stage/configs" -name __pycache__ -prune -exec rm -rf {} +

# Run it once as the target will (empty environment, another folder): a package that cannot start fails here.
version=$(cd / && env -i "$stage/megabatch" --version 2>&1) || die "the packaged megabatch does not start: ${version%%$'\n'*}"
chmod_files='megabatch bin/megabatch'
contents='bin/megabatch, statically linked,'
if ((!static)); then
  chmod_files+=" lib/$loader"
  contents='bin/megabatch with every shared library it loads in lib/ (glibc and its dynamic loader included),'
fi
cat >"$stage/README.txt" <<EOF
$version, self-contained: $contents
so it needs nothing installed. Always start it through the launcher ./megabatch:

  ./megabatch --help
  ./megabatch run --tasks arc-agi_test_challenges.json --programs solvers.py --out out --config configs/kaggle.toml

configs/ holds the run profiles (*.toml) and megabatch's own program library (configs/programs/).
Where a copy loses file modes (a Kaggle dataset is read-only; copy it to /kaggle/working first), restore them:

  chmod +x $chmod_files

A GPU driver (libcuda.so.1) is not shipped: the host's is used when it has one.
EOF

rm -rf "$out"
mv "$stage" "$out"
trap - EXIT
if ((static)); then
  libraries='0 libraries (static binary)'
else
  libraries="$(find "$out/lib" -type f | wc -l) libraries"
fi
printf '%s: %s, %s\n' "$out" "$(du -sh "$out" | cut -f1)" "$libraries"
