// exceljs takes about a second to load: it is loaded by the first .xlsx import or export, not at start-up.
import type ExcelJS from 'exceljs';

export async function newWorkbook(): Promise<ExcelJS.Workbook> {
  const { default: excel } = await import('exceljs');
  return new excel.Workbook();
}
