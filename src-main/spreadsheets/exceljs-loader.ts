// exceljs costs about 30 MB and 0.3 s to load: only what reads or writes a workbook pays for it, not every CLI command.
import type ExcelJS from 'exceljs';

export async function loadExcelJs(): Promise<typeof ExcelJS> {
  return (await import('exceljs')).default;
}
