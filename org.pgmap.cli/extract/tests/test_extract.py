#!/usr/bin/env python3
"""Tests of extract.py on the fixtures of this folder (python3 -m unittest from here, or run
this file). Skipped when spatch is not installed. Each runs spatch three times (1-3 s)."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
EXTRACT = os.path.join(os.path.dirname(HERE), "extract.py")


def run(*args, cwd=None):
    r = subprocess.run([sys.executable, EXTRACT] + list(args), capture_output=True, text=True,
                       cwd=cwd)
    return r.returncode, r.stdout, r.stderr


def extract(path, *extra):
    rc, out, err = run(path, "--out", "-", *extra)
    if rc != 0:
        raise AssertionError("exit %d: %s" % (rc, err))
    return json.loads(out)


def statements(body):
    for n in body:
        if n["kind"] not in ("if", "loop", "switch", "do"):
            yield n
        for k in ("cond", "head"):
            if k in n:
                yield n[k]
        for k in ("then", "else", "body"):
            if k in n:
                yield from statements(n[k])


def function(doc, name):
    return next(f for f in doc["functions"] if f["name"] == name)


def ops_in_order(doc, name):
    """(line, op[, part]) of a function, in the order of the C."""
    out = []
    for st in statements(function(doc, name)["body"]):
        for o in st.get("ops", []):
            out.append((st["line"], o["op"]) + ((o["part"],) if "part" in o else ()))
    return out


@unittest.skipIf(shutil.which("spatch") is None, "spatch (coccinelle) is not installed")
class ExtractTest(unittest.TestCase):
    def test_v6_0_freelist(self):
        doc = extract(os.path.join(HERE, "v6_0_freelist.c"))
        self.assertEqual(doc["ops"][0]["name"], "mini_ops")
        self.assertEqual(doc["ops"][0]["members"]["page_free"]["function"], "mini_page_free")
        self.assertEqual(doc["pagemaps"][0]["device_types"], ["MEMORY_DEVICE_PRIVATE"])
        self.assertEqual(doc["pagemaps"][0]["memremap"][0]["call"], "memremap_pages")
        # the order of the allocation: pop under the lock, unlock, then lock_page
        self.assertEqual(ops_in_order(doc, "mini_alloc_page"), [
            (23, "spin_lock"), (24, "freelist_test"), (25, "pop", "take"),
            (26, "pop", "unlink"), (28, "spin_unlock"), (29, "page_pointer"),
            (31, "lock_page"), (32, "field_write")])
        self.assertEqual(ops_in_order(doc, "mini_page_free"), [
            (38, "field_read"), (38, "lookup"), (40, "spin_lock"), (41, "push", "link"),
            (42, "push", "head"), (43, "spin_unlock")])
        fl = doc["resources"]["freelists"]
        self.assertEqual([f["key"] for f in fl], ["struct mini_device::free_pages"])
        self.assertEqual(fl[0]["guarded_by"], ["struct mini_device::lock"])
        self.assertIn("alloc", function(doc, "mini_alloc_page")["roles"])
        self.assertEqual(doc["era_hints"][0]["eras"], ["v6_0", "dan_v2", "reorder"])
        self.assertEqual(doc["counts"]["unknown"], 0)

    def test_folio_gen_pool_kref(self):
        doc = extract(os.path.join(HERE, "folio_2026.c"))
        self.assertEqual(list(doc["ops"][0]["members"]), ["folio_free"])
        self.assertEqual(ops_in_order(doc, "gdev_folio_free")[-2:],
                         [(53, "mutex_unlock"), (54, "kref_put")])
        self.assertEqual([p["key"] for p in doc["resources"]["gen_pools"]], ["struct gdev::pool"])
        self.assertEqual(doc["resources"]["gen_pools"][0]["guarded_by"], ["struct gdev::lock"])
        self.assertEqual(doc["era_hints"][0]["eras"], ["folio_2026"])

    def test_era_mismatch_is_a_diagnostic(self):
        doc = extract(os.path.join(HERE, "v6_0_freelist.c"), "--era", "v6_1")
        self.assertTrue(any("--era v6_1" in d for d in doc["diagnostics"]))

    def test_unparsable_c_exits_2_naming_the_file(self):
        rc, out, err = run(os.path.join(HERE, "broken.c"), "--out", "-")
        self.assertEqual(rc, 2)
        self.assertEqual(out, "")
        self.assertEqual(len(err.strip().splitlines()), 1)
        # spatch cannot resynchronise after this unbalanced parenthesis: the whole file is
        # unparsed, the message names the first line of the region with code on it
        self.assertIn("broken.c:4: C that Coccinelle cannot parse", err)
        self.assertTrue(err.startswith("pgmap extract: error: "))

    def test_no_ops_exits_2(self):
        rc, out, err = run(os.path.join(HERE, "no_ops.c"), "--out", "-")
        self.assertEqual(rc, 2)
        self.assertIn("no_ops.c: no struct dev_pagemap_ops", err)
        doc = extract(os.path.join(HERE, "no_ops.c"), "--allow-no-ops")
        self.assertEqual(doc["ops"], [])
        self.assertEqual(doc["pagemaps"][0]["device_types"], ["MEMORY_DEVICE_GENERIC"])

    def test_macro_file(self):
        """pgmap_macros.h lets spatch parse drm_exec_until_all_locked (kfd_svm.c of 6.12)."""
        rc, out, err = run(os.path.join(HERE, "drm_exec.c"), "--allow-no-ops", "--out", "-")
        self.assertEqual(rc, 0, err)
        self.assertEqual(json.loads(out)["files"][0]["lines_bad"], 0)

    def test_missing_file_exits_2(self):
        rc, out, err = run(os.path.join(HERE, "nonexistent.c"), "--out", "-")
        self.assertEqual(rc, 2)
        self.assertIn("nonexistent.c: no such file", err)

    def test_hostile_file_names(self):
        with tempfile.TemporaryDirectory() as d:
            name = "-x; $(touch PWNED) `touch PWNED2` 'a\" b.c"
            shutil.copy(os.path.join(HERE, "v6_0_freelist.c"), os.path.join(d, name))
            out = "out $(x) 'y'.json"
            rc, _, err = run("--out", out, "--", name, cwd=d)
            self.assertEqual(rc, 0, err)
            self.assertEqual(sorted(os.listdir(d)), sorted([name, out]))
            with open(os.path.join(d, out)) as f:
                doc = json.load(f)
            self.assertEqual(doc["files"][0]["file"], name)


if __name__ == "__main__":
    unittest.main()
