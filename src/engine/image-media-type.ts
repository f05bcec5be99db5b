const mediaTypes: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
};

export function imageMediaType(filename: string): string {
  const extension = filename.split(".").pop()?.toLowerCase() ?? "";
  return mediaTypes[extension] ?? "application/octet-stream";
}
