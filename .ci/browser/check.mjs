#!/usr/bin/env node
// The browser check: every HTML report and listing of sluss, rendered from the demo
// portfolio in both languages, opened in headless Chromium at a phone's and a desktop's
// width, printed to A4, and validated as HTML. Run by .ci/run; builds nothing itself.
//
//   node check.mjs --sluss PATH/TO/sluss --work DIR [--demo REPO_ROOT] [--screenshots DIR]
//   node check.mjs --self-test --work DIR       (the check on fixtures/: it must catch them)
//
// Every problem is printed as `FAIL <file> @<width>: <problem>`; the run exits 1 when there
// is one. With SLUSS_BROWSER_CHECK=report-only the problems are printed all the same but
// the exit code is 0 (for a branch whose HTML is still being ported; main runs strict).
// CHROMIUM (default /usr/bin/chromium) names the browser.

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { HtmlValidate } from "html-validate";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const LANGS = ["sv", "en"];
const WIDTHS = [
  { name: "phone", width: 390, height: 844 },
  { name: "desktop", width: 1280, height: 800 },
];
/** The smallest font, in CSS pixels as rendered, of text in a chart. */
const MIN_CHART_FONT_PX = 11;
/** A4 at 96 px to the inch, less the 10 mm margins the PDF is printed with. */
const A4_MARGIN_MM = 10;
const A4_CONTENT_PX = Math.floor(((210 - 2 * A4_MARGIN_MM) / 25.4) * 96);
const A4_HEIGHT_PX = Math.floor(((297 - 2 * A4_MARGIN_MM) / 25.4) * 96);
/** How much of a page's top the screenshots in docs/ show, in CSS pixels. */
const SCREENSHOT_MAX_HEIGHT = 1800;
/** The fixed clock and user of every rendering, so that the output is the same each run. */
const RENDER_ENV = { SLUSS_NOW: "2020-06-30T12:00:00+02:00", SLUSS_USER: "erik" };

// How to run each command that offers `--format html` on the demo portfolio: a list of
// argument lists (each is rendered in both languages). A command that --help says offers
// html but that is missing here is a problem: add it. `mutates` runs it in a throwaway
// copy of the demo. Functions get the demo copy's facts (program keys, a case id, ...).
const INVOCATIONS = {
  summary: () => [
    [],
    ["--public"],
    ["--by", "unit"],
    ["--by", "program"],
    ["--by", "tag"],
    ["--by", "coach"],
  ],
  digest: () => [["--since", "2020-04-01", "--until", "2020-06-30"]],
  "program show": (demo) => demo.programs.map((key) => [key]),
  "program list": () => [[]],
  "network report": () => [[], ["--period", "year"]],
  "network list": () => [[]],
  "network show": (demo) => [[demo.member]],
  "maturity report": () => [[]],
  "maturity list": () => [[]],
  "maturity questions": () => [[]],
  "coach list": () => [[]],
  "unit list": () => [[]],
  board: () => [[], ["--parked"]],
  list: () => [[]],
  show: (demo) => [[demo.caseId]],
  log: (demo) => [[demo.caseId]],
  export: () => [[], ["--redact"]],
  new: () => [["--submitter", "Test Testsson", "--unit", "Socialtjänst", "Idé från webbläsarkontrollen"]],
  "maturity record": () => [["--unit", "Socialtjänst", "--date", "2020-06-30", "--score", "ledning=3"]],
};
const MUTATES = new Set(["new", "maturity record"]);
/** The screenshots for docs/ (the guide shows them): the Swedish report, phone and desktop. */
const SCREENSHOTS = [
  { name: "summary", command: "summary", args: [] },
  { name: "digest", command: "digest", args: ["--since", "2020-04-01", "--until", "2020-06-30"] },
  { name: "maturity", command: "maturity report", args: [] },
  { name: "network", command: "network report", args: [] },
];

// ---------------------------------------------------------------------------------------

function parseArgs(argv) {
  const out = { selfTest: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === "--sluss") out.sluss = path.resolve(value());
    else if (a === "--work") out.work = path.resolve(value());
    else if (a === "--demo") out.demo = path.resolve(value());
    else if (a === "--screenshots") out.screenshots = path.resolve(value());
    else if (a === "--self-test") out.selfTest = true;
    else usage(`unknown argument ${a}`);
  }
  if (!out.work) usage("--work DIR is needed");
  if (!out.selfTest && !out.sluss) usage("--sluss PATH is needed");
  out.demo ??= path.resolve(HERE, "..", "..");
  return out;
}

function usage(message) {
  console.error(`error: ${message}`);
  console.error("usage: node check.mjs --sluss BIN --work DIR [--demo ROOT] [--screenshots DIR]");
  console.error("       node check.mjs --self-test --work DIR");
  process.exit(2);
}

const problems = [];
const notes = [];
function problem(file, width, text) {
  problems.push({ file, width, text });
}

function run(bin, args, options = {}) {
  const env = { ...process.env, ...RENDER_ENV, ...(options.env ?? {}) };
  for (const k of ["SLUSS_LANG", "SLUSS_WIDTH", "SLUSS_REPO", "NO_COLOR", "VISUAL", "EDITOR"]) {
    delete env[k];
  }
  const r = spawnSync(bin, args, {
    cwd: options.cwd,
    env,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    timeout: 60_000,
  });
  if (r.error) throw new Error(`could not run ${bin} ${args.join(" ")}: ${r.error.message}`);
  return r;
}

// ----- discovering the commands that offer HTML, from --help ---------------------------

function subcommands(help) {
  const lines = help.split("\n");
  const start = lines.findIndex((l) => /^Commands:\s*$/.test(l));
  if (start < 0) return [];
  const names = [];
  for (const line of lines.slice(start + 1)) {
    if (/^\S/.test(line) || line.trim() === "") break;
    const m = /^ {2}([a-z][a-z0-9-]*)(\s|$)/.exec(line);
    if (m && m[1] !== "help") names.push(m[1]);
  }
  return names;
}

function offersHtml(help) {
  // clap prints the values either as a list (`- html: ...`) under the option or inline
  // as `[possible values: ...]`; the option's text ends where the next option starts.
  const lines = help.split("\n");
  const start = lines.findIndex((l) => /^\s+(-\w, )?--format\b/.test(l));
  if (start < 0) return false;
  if (/\[possible values:[^\]]*\bhtml\b/.test(lines[start])) return true;
  for (const line of lines.slice(start + 1)) {
    if (/^\s*--?[A-Za-z-]/.test(line) && !/^\s*- /.test(line)) break;
    if (/^\s*- html\b/.test(line) || /\[possible values:[^\]]*\bhtml\b/.test(line)) return true;
  }
  return false;
}

function discover(bin, cwd) {
  const found = [];
  const walk = (words) => {
    const r = run(bin, [...words, "--help"], { cwd });
    if (r.status !== 0) {
      problem(`sluss ${words.join(" ")} --help`, "-", `exit ${r.status}: ${r.stderr.trim()}`);
      return;
    }
    const subs = subcommands(r.stdout);
    if (subs.length > 0) {
      for (const s of subs) walk([...words, s]);
    } else if (words.length > 0 && offersHtml(r.stdout)) {
      found.push({ command: words.join(" "), words, hasOutput: /-o, --output\b/.test(r.stdout) });
    }
  };
  walk([]);
  return found;
}

// ----- the demo portfolio, copied ------------------------------------------------------

function copyDemo(root, into) {
  fs.rmSync(into, { recursive: true, force: true });
  fs.mkdirSync(into, { recursive: true });
  fs.copyFileSync(path.join(root, "sluss.toml"), path.join(into, "sluss.toml"));
  for (const dir of ["cases", "network", "programs", "maturity"]) {
    if (fs.existsSync(path.join(root, dir))) {
      fs.cpSync(path.join(root, dir), path.join(into, dir), { recursive: true });
    }
  }
}

function demoFacts(bin, demo) {
  const sorted = (dir) =>
    fs.existsSync(path.join(demo, dir))
      ? fs.readdirSync(path.join(demo, dir)).filter((f) => f.endsWith(".toml")).sort()
      : [];
  let programs = [];
  const r = run(bin, ["program", "list", "--format", "json"], { cwd: demo });
  try {
    const value = JSON.parse(r.stdout);
    const list = Array.isArray(value) ? value : (value.programs ?? []);
    programs = list.map((p) => p.key).filter(Boolean);
  } catch {
    // fall through: the check below names the problem
  }
  if (programs.length === 0) {
    problem("sluss program list --format json", "-", "gave no program keys to render `program show` with");
  }
  // A member named as a partner in a case shows more than one that is not.
  const members = sorted("network").map((f) => f.replace(/\.toml$/, ""));
  const cases = sorted("cases");
  const partnered = members.find((m) =>
    cases.some((c) => fs.readFileSync(path.join(demo, "cases", c), "utf8").includes(`"${m}"`)),
  );
  // A case with coaching sessions and history: the one with the longest file.
  const caseId = cases
    .map((c) => ({ c, n: fs.statSync(path.join(demo, "cases", c)).size }))
    .sort((a, b) => b.n - a.n || a.c.localeCompare(b.c))[0]
    ?.c.replace(/\.toml$/, "");
  return { programs, member: partnered ?? members[0], caseId };
}

function slug(command, args) {
  const s = [command, ...args]
    .join("-")
    .toLowerCase()
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return s.slice(0, 80);
}

// ----- rendering -----------------------------------------------------------------------

function render(bin, { command, words, hasOutput }, args, lang, cwd, file) {
  const argv = [...words, ...args, "--lang", lang, "--format", "html"];
  if (hasOutput) argv.push("-o", file);
  const r = run(bin, argv, { cwd });
  const shown = `sluss ${argv.join(" ")}`;
  if (r.status !== 0) {
    if (/has no html output/.test(r.stderr)) {
      // --help offers exactly the formats a command has (issue 12). Said once a command.
      if (!problems.some((p) => p.file === `sluss ${command}`)) problem(
        `sluss ${command}`,
        "-",
          `--help offers --format html, but \`${shown}\` refuses it: ${r.stderr.trim().split("\n")[0]}`,
        );
      return { refused: shown };
    }
    problem(path.basename(file), "-", `${shown} exited ${r.status}: ${r.stderr.trim()}`);
    return null;
  }
  if (!hasOutput) fs.writeFileSync(file, r.stdout);
  if (!fs.existsSync(file) || fs.statSync(file).size === 0) {
    problem(path.basename(file), "-", `${shown} wrote no HTML`);
    return null;
  }
  return { file, command, args, lang };
}

// ----- the validator -------------------------------------------------------------------

const validator = new HtmlValidate({
  // The standard HTML5 rules (validity, not style) plus those for whole documents. An
  // inline <style> element and inline SVG are fine: a report is one self-contained file.
  extends: ["html-validate:standard", "html-validate:document"],
  rules: {
    "missing-doctype": "error",
    "no-style-tag": "off",
    "no-inline-style": "off",
  },
});

async function validate(file, shown) {
  const report = await validator.validateFile(file);
  for (const result of report.results) {
    for (const m of result.messages) {
      problem(shown, "-", `invalid HTML (${m.ruleId}) at line ${m.line}:${m.column}: ${m.message}`);
    }
  }
}

// ----- in the browser ------------------------------------------------------------------

/** Runs in the page: the problems of layout at the current width. */
function inspectPage(minFontPx) {
  const found = [];
  const win = window.innerWidth;
  const root = document.documentElement;
  const describe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += `#${el.id}`;
    const cls = typeof el.className === "string" ? el.className.trim() : "";
    if (cls) s += "." + cls.split(/\s+/).join(".");
    const label = el.getAttribute("aria-label") ?? el.querySelector?.("caption, title")?.textContent;
    if (label) return `${s} "${label.trim().slice(0, 50)}"`;
    const heading = [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")]
      .filter((h) => h.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING)
      .pop();
    if (heading) s += ` under "${heading.textContent.trim().slice(0, 50)}"`;
    return s;
  };
  const isScroller = (el) => {
    const ox = getComputedStyle(el).overflowX;
    return ox === "auto" || ox === "scroll";
  };

  const lang = root.getAttribute("lang");
  if (!document.querySelector("head > meta[charset]") || document.characterSet !== "UTF-8") {
    found.push(`no <meta charset="utf-8"> (the page reads as ${document.characterSet})`);
  }
  if (!document.title.trim()) found.push("no <title>, or an empty one");
  const viewport = document.querySelector('meta[name="viewport"]');
  const vcontent = viewport?.getAttribute("content") ?? "";

  if (root.scrollWidth > win) {
    found.push(`horizontal overflow: the page is ${root.scrollWidth}px wide in a ${win}px window`);
  }
  // Elements sticking out of the window, unless inside a scroll container (which may
  // scroll sideways, like a wide table). Only the outermost such element is named.
  const sticking = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (el.closest("svg") && el.tagName.toLowerCase() !== "svg") continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden") continue;
    // Off to the left makes no scroll bar: only a positioned element put there on purpose
    // (a link for screen readers, say) may be there.
    const offLeft = r.left < -0.5 && !["absolute", "fixed"].includes(style.position);
    if (r.right <= win + 0.5 && !offLeft) continue;
    let inScroller = false;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (isScroller(a)) {
        inScroller = true;
        break;
      }
    }
    if (inScroller) continue;
    if (sticking.some((s) => s.contains(el))) continue;
    sticking.push(el);
    if (sticking.length <= 5) {
      found.push(
        `${describe(el)} sticks out of the ${win}px window (from ${Math.round(r.left)}px to ${Math.round(r.right)}px)`,
      );
    }
  }
  if (sticking.length > 5) found.push(`... and ${sticking.length - 5} more elements sticking out`);

  // Text in charts, as rendered: the font size times the chart's scale.
  const small = new Map();
  for (const t of document.querySelectorAll("svg text")) {
    const style = getComputedStyle(t);
    if (style.display === "none" || style.visibility === "hidden") continue;
    if (!t.textContent.trim()) continue;
    const ctm = t.getScreenCTM();
    if (!ctm) continue;
    const scale = Math.sqrt(Math.abs(ctm.a * ctm.d - ctm.b * ctm.c));
    const px = parseFloat(style.fontSize) * scale;
    if (px + 0.01 < minFontPx) {
      const svg = t.closest("svg");
      const entry = small.get(svg) ?? { n: 0, min: Infinity, sample: "" };
      entry.n += 1;
      if (px < entry.min) {
        entry.min = px;
        entry.sample = t.textContent.trim().slice(0, 30);
      }
      small.set(svg, entry);
    }
  }
  for (const [svg, e] of small) {
    found.push(
      `chart ${describe(svg)}: ${e.n} text(s) smaller than ${minFontPx}px, down to ${e.min.toFixed(1)}px ("${e.sample}")`,
    );
  }
  return { found, lang, viewport: vcontent };
}

/** Runs in the page under print media at A4 width: what would be cut off on paper. */
function inspectPrint(pageWidth) {
  const found = [];
  const root = document.documentElement;
  if (root.scrollWidth > pageWidth) {
    found.push(`print: the page is ${root.scrollWidth}px wide on a ${pageWidth}px A4 page`);
  }
  for (const el of document.querySelectorAll("table, svg, pre, img")) {
    if (el.tagName.toLowerCase() === "svg" && el.parentElement?.closest("svg")) continue;
    const r = el.getBoundingClientRect();
    const wide = Math.max(r.right, el.tagName.toLowerCase() === "table" ? r.left + el.scrollWidth : 0);
    if (r.width > 0 && (wide > pageWidth + 0.5 || r.left < -0.5)) {
      let name = el.tagName.toLowerCase();
      const caption = el.getAttribute("aria-label") ?? el.querySelector("caption, title")?.textContent;
      const heading = [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")]
        .filter((h) => h.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING)
        .pop();
      if (caption) name += ` "${caption.trim().slice(0, 50)}"`;
      else if (heading) name += ` under "${heading.textContent.trim().slice(0, 50)}"`;
      found.push(`print: ${name} is cut off on A4 (reaches ${Math.round(wide)}px of ${pageWidth}px)`);
    }
  }
  return found;
}

async function launch() {
  const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
  if (!fs.existsSync(executablePath)) {
    throw new Error(`no browser at ${executablePath} (set CHROMIUM, or install Debian's chromium)`);
  }
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
      "--font-render-hinting=none",
    ],
  });
}

async function checkInBrowser(browser, item, shown, screenshotsFor) {
  const url = pathToFileURL(item.file).href;
  for (const w of WIDTHS) {
    const context = await browser.newContext({
      viewport: { width: w.width, height: w.height },
      deviceScaleFactor: 1,
      locale: item.lang === "sv" ? "sv-SE" : "en-GB",
      timezoneId: "Europe/Stockholm",
    });
    const page = await context.newPage();
    const errors = [];
    page.on("console", (msg) => {
      if (msg.type() === "error") errors.push(`console error: ${msg.text()}`);
    });
    page.on("pageerror", (err) => errors.push(`page error: ${err.message}`));
    // A report is one self-contained file: it loads nothing.
    await page.route("**/*", (route) => {
      const u = route.request().url();
      if (u === url || u.startsWith("data:")) return route.continue();
      errors.push(`loads ${u} (a report must be self-contained)`);
      return route.abort();
    });
    try {
      await page.goto(url, { waitUntil: "load", timeout: 30_000 });
      const r = await page.evaluate(inspectPage, MIN_CHART_FONT_PX);
      if (r.lang !== item.lang) {
        problem(shown, w.width, `<html lang> is ${JSON.stringify(r.lang)}, not "${item.lang}" (--lang ${item.lang})`);
      }
      if (!/width\s*=\s*device-width/.test(r.viewport)) {
        problem(shown, w.width, `no viewport meta tag with width=device-width (found ${JSON.stringify(r.viewport)})`);
      }
      for (const f of r.found) problem(shown, w.width, f);
      if (screenshotsFor) {
        const file = path.join(screenshotsFor.dir, `${screenshotsFor.name}-${w.name}.png`);
        // The top of the page at the window's width: a sideways overflow shows as cut off.
        const height = await page.evaluate(() => document.documentElement.scrollHeight);
        await page.screenshot({
          path: file,
          fullPage: true,
          clip: { x: 0, y: 0, width: w.width, height: Math.min(height, SCREENSHOT_MAX_HEIGHT) },
          animations: "disabled",
        });
      }
      if (w.name === "desktop") {
        const pdf = await page.pdf({
          format: "A4",
          printBackground: true,
          margin: { top: `${A4_MARGIN_MM}mm`, bottom: `${A4_MARGIN_MM}mm`, left: `${A4_MARGIN_MM}mm`, right: `${A4_MARGIN_MM}mm` },
        });
        if (!pdf || pdf.length < 1000 || pdf.subarray(0, 5).toString() !== "%PDF-") {
          problem(shown, "print", "page.pdf({format: 'A4'}) gave no PDF");
        }
        await page.emulateMedia({ media: "print" });
        await page.setViewportSize({ width: A4_CONTENT_PX, height: A4_HEIGHT_PX });
        for (const f of await page.evaluate(inspectPrint, A4_CONTENT_PX)) problem(shown, "print", f);
      }
    } catch (err) {
      problem(shown, w.width, `the browser failed: ${err.message.split("\n")[0]}`);
    }
    for (const e of errors) problem(shown, w.width, e);
    await context.close();
  }
}

// ----- the run -------------------------------------------------------------------------

async function checkFiles(items, screenshotDir) {
  const browser = await launch();
  const one = async (item) => {
    const shown = path.basename(item.file);
    await validate(item.file, shown);
    const shot =
      screenshotDir && item.lang === "sv"
        ? SCREENSHOTS.find((s) => s.command === item.command && JSON.stringify(s.args) === JSON.stringify(item.args))
        : undefined;
    await checkInBrowser(browser, item, shown, shot ? { dir: screenshotDir, name: shot.name } : undefined);
  };
  // Two pages at a time: the machines have two cores.
  try {
    let next = 0;
    const worker = async () => {
      while (next < items.length) await one(items[next++]);
    };
    await Promise.all([worker(), worker()]);
  } finally {
    await browser.close();
  }
  // Problems in the order of the files, whatever order the pages finished in.
  const order = new Map(items.map((item, i) => [path.basename(item.file), i]));
  const rank = (p) => order.get(p.file) ?? -1;
  const sorted = problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => rank(a.p) - rank(b.p) || a.i - b.i)
    .map(({ p }) => p);
  problems.splice(0, problems.length, ...sorted);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const mode = process.env.SLUSS_BROWSER_CHECK || "strict";
  if (!["strict", "report-only"].includes(mode)) usage(`SLUSS_BROWSER_CHECK is "${mode}": strict or report-only`);
  fs.mkdirSync(opts.work, { recursive: true });

  let items;
  if (opts.selfTest) {
    items = selfTestItems(opts.work);
    await checkFiles(items, null);
    return finishSelfTest(items);
  }

  const demo = path.join(opts.work, "demo");
  const scratch = path.join(opts.work, "demo-scratch");
  const htmlDir = path.join(opts.work, "html");
  copyDemo(opts.demo, demo);
  fs.rmSync(htmlDir, { recursive: true, force: true });
  fs.mkdirSync(htmlDir, { recursive: true });

  const commands = discover(opts.sluss, demo);
  const facts = demoFacts(opts.sluss, demo);
  items = [];
  const refused = [];
  for (const cmd of commands) {
    const make = INVOCATIONS[cmd.command];
    if (!make) {
      problem(
        `sluss ${cmd.command}`,
        "-",
        "--help offers --format html, but the browser check does not know how to run it: add it to INVOCATIONS in .ci/browser/check.mjs",
      );
      continue;
    }
    for (const args of make(facts)) {
      for (const lang of LANGS) {
        const cwd = MUTATES.has(cmd.command) ? scratch : demo;
        if (MUTATES.has(cmd.command)) copyDemo(opts.demo, scratch);
        const file = path.join(htmlDir, `${slug(cmd.command, args)}.${lang}.html`);
        const r = render(opts.sluss, cmd, args, lang, cwd, file);
        if (r?.refused) refused.push(r.refused);
        else if (r) items.push(r);
      }
    }
  }
  for (const s of SCREENSHOTS) {
    if (!items.some((i) => i.command === s.command && i.lang === "sv")) {
      problem(`sluss ${s.command}`, "-", "gave no Swedish HTML to take the screenshots for docs/ from");
    }
  }
  if (opts.screenshots) fs.mkdirSync(opts.screenshots, { recursive: true });
  const rendered = Date.now();
  await checkFiles(items, opts.screenshots ?? null);

  // The report.
  const secs = (a, b) => ((b - a) / 1000).toFixed(1);
  console.log(`browser check: ${items.length} HTML files from ${commands.length} commands offering html,`);
  console.log(`  each at ${WIDTHS.map((w) => `${w.width}px`).join(" and ")} and printed to A4`);
  console.log(`  ${secs(started, rendered)}s to render, ${secs(rendered, Date.now())}s in the browser and the validator`);
  console.log(`  the HTML files are in ${htmlDir}`);
  if (refused.length > 0) console.log(`  ${refused.length} renderings refused html (see below)`);
  for (const n of notes) console.log(`  note: ${n}`);
  if (opts.screenshots && items.length > 0) {
    console.log(`  screenshots: ${SCREENSHOTS.map((s) => `${s.name}-{phone,desktop}.png`).join(", ")} in ${opts.screenshots}`);
  }
  report(mode);
}

function report(mode) {
  if (problems.length === 0) {
    console.log("browser check: no problems");
    return;
  }
  // Grouped by file, in the order found.
  const byFile = new Map();
  for (const p of problems) {
    if (!byFile.has(p.file)) byFile.set(p.file, []);
    byFile.get(p.file).push(p);
  }
  for (const [file, list] of byFile) {
    for (const p of list) {
      const where = p.width === "-" ? "" : typeof p.width === "number" ? ` @${p.width}px` : ` @${p.width}`;
      console.log(`FAIL ${file}${where}: ${p.text}`);
    }
  }
  console.log(`browser check: ${problems.length} problems in ${byFile.size} files`);
  if (mode === "report-only") {
    console.log("browser check: SLUSS_BROWSER_CHECK=report-only, so these problems do not fail the run");
  } else {
    process.exitCode = 1;
  }
}

// ----- the self-test: the check must find what fixtures/ breaks on purpose --------------

function selfTestItems(work) {
  const dir = path.join(HERE, "fixtures");
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".html"))
    .sort()
    .map((f) => {
      const file = path.join(work, f);
      fs.copyFileSync(path.join(dir, f), file);
      const lang = /\.(sv|en)\.html$/.exec(f)?.[1] ?? "en";
      return { file, command: f, args: [], lang };
    });
}

function finishSelfTest(items) {
  // Each fixture names what the check must say about it, one `expect: TEXT` per line
  // in a comment; a fixture without any must pass clean.
  let failed = 0;
  for (const item of items) {
    const text = fs.readFileSync(item.file, "utf8");
    const expected = [...text.matchAll(/^\s*expect: (.+)$/gm)].map((m) => m[1].trim());
    const shown = path.basename(item.file);
    const got = problems.filter((p) => p.file === shown).map((p) => `@${p.width}: ${p.text}`);
    for (const e of expected) {
      if (!got.some((g) => g.includes(e))) {
        console.log(`SELF-TEST FAIL ${shown}: the check did not say "${e}"`);
        failed++;
      }
    }
    if (expected.length === 0) {
      for (const g of got) {
        console.log(`SELF-TEST FAIL ${shown} should pass, but: ${g}`);
        failed++;
      }
    }
  }
  if (failed > 0) {
    console.log("browser check self-test: the check is broken (see above)");
    for (const p of problems) console.log(`  (found) ${p.file} @${p.width}: ${p.text}`);
    process.exitCode = 1;
  } else {
    console.log(`browser check self-test: ok (${items.length} fixtures, ${problems.length} planted problems found)`);
  }
}

main().catch((err) => {
  console.error(`browser check: error: ${err.stack || err.message}`);
  process.exit(2);
});
