/** Hands bytes made in the worker to the browser's download; nothing leaves the machine. */
export function saveFiles(files: { name: string; bytes: ArrayBuffer }[]): void {
  for (const file of files) {
    const url = URL.createObjectURL(
      new Blob([file.bytes], { type: file.name.endsWith('.json') ? 'application/json' : 'application/octet-stream' }),
    );
    const a = document.createElement('a');
    a.href = url;
    a.download = file.name;
    a.style.display = 'none';
    document.body.append(a);
    a.click();
    a.remove();
    // Revoking at once can cancel the download in some browsers.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
