// CSV export of a table's rows (RFC 4180 quoting), downloaded by the browser.
export function toCsv(header: string[], rows: Array<Array<string | number>>): string {
  const cell = (value: string | number) => {
    const text = String(value);
    return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return [header, ...rows].map((row) => row.map(cell).join(',')).join('\n');
}

export function downloadCsv(filename: string, header: string[], rows: Array<Array<string | number>>): void {
  const url = URL.createObjectURL(new Blob([toCsv(header, rows)], { type: 'text/csv' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  URL.revokeObjectURL(url);
}
