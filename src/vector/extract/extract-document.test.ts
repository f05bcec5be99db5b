import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { economyReport, makeDocx, makeEconomyReportPdf } from "../../../test/fixtures/documents.js";
import { InvalidFileError, UnsupportedFileError } from "../errors.js";
import { extractDocument } from "./extract-document.js";

describe("extractDocument", () => {
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), "spool-extract-"));
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  // Stored uploads have opaque paths, so the type must come from `filename`, not from `path`.
  async function extract(filename: string, content: string | Uint8Array) {
    const storedPath = path.join(directory, `${Math.random().toString(36).slice(2)}.bin`);
    await writeFile(storedPath, content);
    return extractDocument({ path: storedPath, filename });
  }

  it("extracts a PDF page by page, keeping Korean text intact", async () => {
    const { pages } = await extract("economy-report.pdf", await makeEconomyReportPdf());
    expect(pages.map((page) => page.pageNumber)).toEqual([1, 2, 3]);
    const [english, korean, appendix] = pages.map((page) => page.text.replace(/\s+/g, " "));
    expect(english).toContain("Global Trade Overview");
    expect(korean).toContain("대한민국의 2023년 8월 경제전망");
    expect(korean).toContain(`성장률은 ${economyReport.koreanGrowthForecast}로 전망된다`);
    expect(korean).toContain("대한민국의 수도는 서울입니다");
    expect(korean).not.toContain("Global");
    expect(appendix).toContain("XK-4471Q");
  });

  it("extracts DOCX paragraphs as one unnumbered page", async () => {
    const { pages } = await extract("notes.docx", makeDocx(["First paragraph & more", "두 번째 문단입니다"]));
    expect(pages).toHaveLength(1);
    expect(pages[0]?.pageNumber).toBeNull();
    expect(pages[0]?.text).toContain("First paragraph & more");
    expect(pages[0]?.text).toContain("두 번째 문단입니다");
  });

  it("reads text, Markdown, CSV and source code as UTF-8", async () => {
    for (const [filename, content] of [
      ["readme.md", "# 제목\n\nSome *markdown*."],
      ["data.csv", "도시,인구\n서울,9400000"],
      ["main.py", "print('안녕하세요')"],
      ["lib.rs", "fn main() {}"],
      ["paper.tex", "\\section{Intro}"],
      ["NOTES.TXT", "upper-case extension"],
    ]) {
      const { pages } = await extract(filename ?? "", content ?? "");
      expect(pages).toEqual([{ pageNumber: null, text: content }]);
    }
  });

  it("strips a byte-order mark and decodes UTF-16 text", async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("서울 text", "utf16le")]);
    expect((await extract("bom.txt", utf16)).pages[0]?.text).toBe("서울 text");
    expect((await extract("bom8.txt", "\ufeffhello")).pages[0]?.text).toBe("hello");
  });

  it("reduces HTML to its visible text", async () => {
    const html =
      "<html><head><title>t</title><style>p{color:red}</style></head><body>" +
      "<script>alert('x')</script><h1>서울 &amp; 부산</h1><p>Caf&eacute; &#xC11C;&#50872; &lt;tag&gt;</p></body></html>";
    const { pages } = await extract("page.html", html);
    expect(pages[0]?.text).toBe("서울 & 부산\nCafé 서울 <tag>");
  });

  it("indexes JSON verbatim but rejects malformed JSON", async () => {
    expect((await extract("data.json", '{"도시": "서울"}')).pages[0]?.text).toBe('{"도시": "서울"}');
    await expect(extract("broken.json", '{"a": ')).rejects.toBeInstanceOf(InvalidFileError);
  });

  it("rejects unsupported extensions", async () => {
    await expect(extract("setup.exe", "MZ")).rejects.toBeInstanceOf(UnsupportedFileError);
    await expect(extract("no-extension", "text")).rejects.toBeInstanceOf(UnsupportedFileError);
    await expect(extract("setup.exe", "MZ")).rejects.toMatchObject({ code: "unsupported_file" });
  });

  it("rejects files that do not parse as their claimed type", async () => {
    await expect(extract("corrupt.pdf", "%PDF-1.7\nthis is not a pdf")).rejects.toMatchObject({ code: "invalid_file" });
    const truncated = (await makeEconomyReportPdf()).slice(0, 400);
    await expect(extract("truncated.pdf", truncated)).rejects.toBeInstanceOf(InvalidFileError);
    await expect(extract("corrupt.docx", "PK not a zip")).rejects.toBeInstanceOf(InvalidFileError);
    await expect(extract("binary.txt", new Uint8Array([0x48, 0x00, 0x01, 0x02]))).rejects.toBeInstanceOf(InvalidFileError);
    await expect(extract("latin1.txt", new Uint8Array([0x63, 0x61, 0x66, 0xe9]))).rejects.toBeInstanceOf(InvalidFileError);
  });
});
