'use strict';
// The TextMate grammar, run by VS Code's own tokenizer (vscode-textmate on the Oniguruma regex
// engine): every keyword and enum literal of the Xtext grammar (Pgmap.xtext) is colored, other
// names are not, and comments, strings and numbers are what they look like.

const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const path = require('path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const REPO = path.resolve(__dirname, '..', '..', '..');
const XTEXT = fs.readFileSync(path.join(REPO, 'org.pgmap.dsl', 'src', 'org', 'pgmap', 'dsl', 'Pgmap.xtext'), 'utf8');
const GRAMMAR = path.join(__dirname, '..', 'syntaxes', 'pgmap.tmLanguage.json');

async function loadGrammar() {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s)
    }),
    loadGrammar: async (scopeName) => scopeName === 'source.pgmap'
      ? vsctm.parseRawGrammar(fs.readFileSync(GRAMMAR, 'utf8'), GRAMMAR)
      : null
  });
  return registry.loadGrammar('source.pgmap');
}

/** [text, innermost scope] of each token of the lines. */
function tokenize(grammar, text) {
  let state = vsctm.INITIAL;
  const tokens = [];
  for (const line of text.split('\n')) {
    const result = grammar.tokenizeLine(line, state);
    for (const t of result.tokens) {
      const piece = line.substring(t.startIndex, t.endIndex);
      if (piece.trim() !== '') {
        tokens.push([piece, t.scopes[t.scopes.length - 1]]);
      }
    }
    state = result.ruleStack;
  }
  return tokens;
}

function scopeOf(grammar, line, word) {
  const found = tokenize(grammar, line).find(([piece]) => piece.trim() === word);
  assert.ok(found, `no token "${word}" in ${JSON.stringify(tokenize(grammar, line))}`);
  return found[1];
}

/** The words of the Xtext grammar: its quoted keywords and the literals of its enums (`EQ='=='` is the keyword ==). */
function xtextKeywords() {
  const withoutComments = XTEXT.replace(/\/\/.*$/gm, '');
  const keywords = new Set();
  for (const m of withoutComments.matchAll(/'([^']+)'/g)) {
    keywords.add(m[1]);
  }
  for (const m of withoutComments.matchAll(/^enum\s+\w+\s*:([^;]*);/gm)) {
    for (const literal of m[1].split('|')) {
      const m2 = /^\s*(\w+)\s*(?:=\s*'([^']*)')?\s*$/.exec(literal);
      assert.ok(m2, 'an enum literal of Pgmap.xtext: ' + literal);
      keywords.add(m2[2] === undefined ? m2[1] : m2[2]);
    }
  }
  return [...keywords];
}

/** The keywords that are words: spec, spin_lock, MEMORY_DEVICE_PRIVATE. */
function xtextWords() {
  return xtextKeywords().filter((k) => /^[A-Za-z_]\w*$/.test(k));
}

test('the grammar compiles and every keyword and enum literal of Pgmap.xtext is colored', async () => {
  const grammar = await loadGrammar();
  const words = xtextWords();
  assert.ok(words.length > 100, 'read the words of Pgmap.xtext: ' + words.length);
  for (const word of ['spec', 'freelist', 'either', 'final_put', 'spin_lock', 'page_mapped', 'MEMORY_DEVICE_PCI_P2PDMA', 'INIT_PAGEMAP_IDLE', 'lru']) {
    assert.ok(words.includes(word), word + ' among ' + words);
  }
  const uncolored = words.filter((word) => scopeOf(grammar, word, word) === 'source.pgmap');
  assert.deepStrictEqual(uncolored, [], 'words of Pgmap.xtext that syntaxes/pgmap.tmLanguage.json does not color');
  // and the operators; the rest ({ } ( ) [ ] , .) is punctuation
  const operators = xtextKeywords().filter((k) => /^[=!<>]+$/.test(k));
  assert.deepStrictEqual(operators.slice().sort(), ['!', '!=', '<', '<=', '=', '==', '>', '>='].sort());
  for (const op of operators) {
    assert.match(scopeOf(grammar, `a ${op} b`, op), /^keyword\.operator\./, op);
  }
  const others = xtextKeywords().filter((k) => !words.includes(k) && !operators.includes(k));
  assert.deepStrictEqual(others.slice().sort(), ['(', ')', ',', '.', '[', ']', '{', '}'].sort(), 'keywords neither word nor operator');
});

test('names are consumed whole: a lock called free_pages_lock or a procedure my_put_page is not a keyword', async () => {
  const grammar = await loadGrammar();
  for (const name of ['free_pages', 'spin_lock_irq', 'my_put_page', 'pages2', 'page', 'MEMORY_DEVICE_OTHER', 'ops_table', '^spec']) {
    assert.strictEqual(scopeOf(grammar, `x = ${name}`, name), 'source.pgmap', name);
  }
});

test('comments, strings, numbers, kernel functions, pgmap types and declared names', async () => {
  const grammar = await loadGrammar();
  const spec = [
    'spec s "a \\"quoted\\" title" // the header',
    'uses core v6_1',
    '/* a comment',
    '   over spin_lock(l) lines */ pagemap dev type MEMORY_DEVICE_PRIVATE pages 2 ops drv',
    'driver drv {',
    '\top page_free drv_free(page) {',
    '\t\tif page_ref_count(page) != 0 { warn \'single\' }',
    '\t\tpage.zone_device_data = null',
    '\t}',
    '}'
  ].join('\n');
  const tokens = tokenize(grammar, spec);
  const scope = (piece) => {
    const found = tokens.find(([p]) => p === piece);
    assert.ok(found, piece + ' in ' + JSON.stringify(tokens));
    return found[1];
  };
  assert.strictEqual(scope('spec'), 'storage.type.pgmap');
  assert.strictEqual(scope('s'), 'entity.name.type.pgmap');
  assert.strictEqual(scope('\\"'), 'constant.character.escape.pgmap');
  assert.strictEqual(scope(' the header'), 'comment.line.double-slash.pgmap');
  assert.strictEqual(scope('v6_1'), 'entity.name.type.pgmap');
  assert.strictEqual(scope('   over spin_lock(l) lines '), 'comment.block.pgmap', 'a block comment spans lines');
  assert.strictEqual(scope('pagemap'), 'storage.type.pgmap', 'code after the comment ends');
  assert.strictEqual(scope('MEMORY_DEVICE_PRIVATE'), 'support.constant.pgmap');
  assert.strictEqual(scope('2'), 'constant.numeric.integer.pgmap');
  assert.strictEqual(scope('page_free'), 'support.function.op.pgmap');
  assert.strictEqual(scope('drv_free'), 'entity.name.function.pgmap');
  assert.strictEqual(scope('if'), 'keyword.control.pgmap');
  assert.strictEqual(scope('page_ref_count'), 'support.function.pgmap');
  assert.strictEqual(scope('!='), 'keyword.operator.comparison.pgmap');
  assert.strictEqual(scope('single'), 'string.quoted.single.pgmap');
  assert.strictEqual(scope('zone_device_data'), 'variable.other.member.pgmap');
  assert.strictEqual(scope('null'), 'constant.language.pgmap');
});

test('every shipped example tokenizes without a token the grammar cannot place', async () => {
  const grammar = await loadGrammar();
  const files = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else if (entry.name.endsWith('.pgmap')) {
        files.push(full);
      }
    }
  };
  walk(path.join(REPO, 'examples'));
  walk(path.join(REPO, 'org.pgmap.dsl', 'library'));
  assert.ok(files.length > 20, files.length + ' files');
  for (const file of files) {
    // outside comments and strings, what is left uncolored is names and punctuation, never a word the grammar knows
    const words = new Set(xtextWords());
    for (const [piece, scope] of tokenize(grammar, fs.readFileSync(file, 'utf8'))) {
      if (scope === 'source.pgmap' && /^\s*[A-Za-z_]\w*\s*$/.test(piece)) {
        assert.ok(!words.has(piece.trim()), `${file}: ${piece} uncolored`);
      }
    }
  }
});
