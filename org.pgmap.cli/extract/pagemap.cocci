// pgmap extract, part 1 of 2: the file-level facts of a ZONE_DEVICE driver.
//
//   spatch --sp-file pagemap.cocci --no-includes --include pgmap_types.h \
//          --macro-file pgmap_macros.h --very-quiet FILE.c
//
// Prints one JSON object per line, each prefixed with "PGMAPX " (extract.py reads only those):
//   {"fact": "function", ...}   every function definition: name, parameters, where its body opens
//   {"fact": "ops_member", ...} each member of each `struct dev_pagemap_ops` initializer
//   {"fact": "pagemap_type"...} a dev_pagemap's type set (MEMORY_DEVICE_*, or anything else)
//   {"fact": "pagemap_ops" ...} a dev_pagemap's ops set (`pgmap->ops = &X`)
//   {"fact": "pagemap_init"...} a static `struct dev_pagemap X = { .type = ..., .ops = ... }`
// Positions: "file", "func" (the enclosing function, or "something_else" at file level),
// "line"/"col" (col is a 0-based byte offset) and "end_line"/"end_col" (exclusive).
// memremap_pages() calls are call facts of body.cocci.

@initialize:python@
@@
import json

def _pos(p, q=None):
    a = p[0]
    b = (q if q is not None else p)[0]
    return {"file": a.file, "func": a.current_element,
            "line": int(a.line), "col": int(a.column),
            "end_line": int(b.line_end), "end_col": int(b.column_end)}

def emit(fact, p, q=None, **kw):
    d = {"fact": fact}
    d.update(_pos(p, q))
    for k, v in kw.items():
        d[k] = v if isinstance(v, (int, list, bool)) or v is None else str(v)
    print("PGMAPX " + json.dumps(d, sort_keys=True), flush=True)

// ---------------------------------------------------------------- function definitions
// Only where the body opens: extract.py finds the closing brace in the text (binding `}@e`
// makes spatch enumerate the paths to it: 38 s instead of 2 on drivers/dax/device.c).
@fn@
identifier f;
parameter list Ps;
position p, b;
@@
f@p(Ps) {@b ... }

@script:python@
f << fn.f;
Ps << fn.Ps;
p << fn.p;
b << fn.b;
@@
emit("function", p, name=f, params=Ps,
     body_line=int(b[0].line), body_col=int(b[0].column))

// ---------------------------------------------------------------- dev_pagemap_ops
@ops@
identifier I, fld, F;
position p;
@@
struct dev_pagemap_ops I@p = { ..., .fld = F, ... };

@script:python@
I << ops.I;
fld << ops.fld;
F << ops.F;
p << ops.p;
@@
emit("ops_member", p, ops=I, member=fld, function=F)

// ---------------------------------------------------------------- where the pagemap is set up
// pgmap->type = C / pgmap.type = C, on a struct dev_pagemap (typed through pgmap_types.h),
// or with a MEMORY_DEVICE_* constant whatever the type of the left-hand side.
@ptype1@
struct dev_pagemap *PM;
expression C;
position p;
@@
PM->type@p = C

@script:python@
PM << ptype1.PM;
C << ptype1.C;
p << ptype1.p;
@@
emit("pagemap_type", p, pagemap=PM, value=C, typed=True)

@ptype2@
struct dev_pagemap PM;
expression C;
position p;
@@
PM.type@p = C

@script:python@
PM << ptype2.PM;
C << ptype2.C;
p << ptype2.p;
@@
emit("pagemap_type", p, pagemap=PM, value=C, typed=True)

@ptype3@
expression E;
identifier C =~ "^MEMORY_DEVICE_";
position p;
@@
(
E->type@p = C
|
E.type@p = C
)

@script:python@
E << ptype3.E;
C << ptype3.C;
p << ptype3.p;
@@
emit("pagemap_type", p, pagemap=E, value=C, typed=False)

@pops@
expression E;
identifier I;
position p;
@@
(
E->ops@p = &I
|
E.ops@p = &I
)

@script:python@
E << pops.E;
I << pops.I;
p << pops.p;
@@
emit("pagemap_ops", p, pagemap=E, ops=I)

@pinit@
identifier I, fld;
expression V;
position p;
@@
struct dev_pagemap I@p = { ..., .fld = V, ... };

@script:python@
I << pinit.I;
fld << pinit.fld;
V << pinit.V;
p << pinit.p;
@@
emit("pagemap_init", p, pagemap=I, member=fld, value=V)
