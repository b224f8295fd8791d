#!/usr/bin/env node
// Import cycles of a source tree, type imports included, at two scales:
// files (what `pnpm lint` refuses, through Biome's noImportCycles) and the
// tree's top-level folders (each folder, or file at the top, one node; test
// files left out, as they sit above everything they test). Prints each
// strongly connected component and the imports that close it.
//
//   node scripts/import-cycles.mjs server/src [widget/src ...]
//
// Relative imports only (`import`, `export … from`, `import()` and
// `import('…')` types); packages cannot close a cycle inside a tree.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const EXTENSIONS = ['', '.ts', '.tsx', '/index.ts', '/index.tsx'];

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [resolve(path)] : [];
  });
}

function importGraph(files) {
  const known = new Set(files);
  const graph = new Map();
  for (const file of files) {
    const targets = new Set();
    const add = (specifier) => {
      if (!specifier.startsWith('.')) return;
      const base = resolve(dirname(file), specifier).replace(/\.js$/, '.ts');
      const found = EXTENSIONS.map((ext) => base + ext).find((p) => known.has(p));
      if (found) targets.add(found);
    };
    const visit = (node) => {
      if (
        (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
        node.moduleSpecifier &&
        ts.isStringLiteral(node.moduleSpecifier)
      ) {
        add(node.moduleSpecifier.text);
      } else if (
        ts.isCallExpression(node) &&
        node.expression.kind === ts.SyntaxKind.ImportKeyword &&
        node.arguments[0] &&
        ts.isStringLiteral(node.arguments[0])
      ) {
        add(node.arguments[0].text);
      } else if (
        ts.isImportTypeNode(node) &&
        ts.isLiteralTypeNode(node.argument) &&
        ts.isStringLiteral(node.argument.literal)
      ) {
        add(node.argument.literal.text);
      }
      ts.forEachChild(node, visit);
    };
    visit(ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true));
    graph.set(file, [...targets]);
  }
  return graph;
}

/** Tarjan's strongly connected components with more than one node. */
function cycles(graph) {
  let next = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  const connect = (v) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const component = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1) found.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) connect(v);
  return found;
}

let total = 0;
for (const root of process.argv.slice(2)) {
  const top = resolve(root);
  const files = sourceFiles(top);
  const graph = importGraph(files);
  const fileCycles = cycles(graph);

  const folderOf = (file) => relative(top, file).split('/')[0];
  const folders = new Map();
  const why = new Map();
  for (const [file, targets] of graph) {
    if (/\.test\.tsx?$/.test(file)) continue;
    const from = folderOf(file);
    if (!folders.has(from)) folders.set(from, new Set());
    for (const target of targets) {
      const to = folderOf(target);
      if (to === from) continue;
      folders.get(from).add(to);
      const edge = `${from} -> ${to}`;
      if (!why.has(edge)) why.set(edge, `${relative(top, file)} -> ${relative(top, target)}`);
    }
  }
  const folderCycles = cycles(new Map([...folders].map(([k, v]) => [k, [...v]])));

  console.log(
    `${root}: ${files.length} files; ${fileCycles.length} file cycles; ${folderCycles.length} folder cycles`,
  );
  for (const c of fileCycles) console.log(`  files: ${c.map((f) => relative(top, f)).join(', ')}`);
  for (const c of folderCycles) {
    console.log(`  folders: ${c.join(', ')}`);
    for (const a of c)
      for (const b of c) if (why.has(`${a} -> ${b}`)) console.log(`    ${why.get(`${a} -> ${b}`)}`);
  }
  total += fileCycles.length + folderCycles.length;
}
process.exitCode = total > 0 ? 1 : 0;
