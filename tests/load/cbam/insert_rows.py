"""Insert empty rows into sheets of a workbook through LibreOffice headless (UNO), and save it
as .xlsx, as a supplier editing the template would. Run with the Python that has `uno`:

    python3 insert_rows.py IN.xlsx OUT.xlsx SHEET:ROW [SHEET:ROW ...]

ROW is 1-based: the new row is inserted above it.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time

import uno
from com.sun.star.beans import PropertyValue


def _property(name, value):
    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


def main(source, target, *inserts):
    profile = tempfile.mkdtemp(prefix="lo-profile-")
    pipe = f"esgaudit{os.getpid()}"
    office = subprocess.Popen([
        "soffice", "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
        f"-env:UserInstallation=file://{profile}", f"--accept=pipe,name={pipe};urp;",
    ])
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local)
        for _ in range(120):
            try:
                context = resolver.resolve(
                    f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:
                time.sleep(0.5)
        else:
            raise SystemExit("LibreOffice did not start")
        desktop = context.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", context)
        try:
            document = desktop.loadComponentFromURL(
                uno.systemPathToFileUrl(os.path.abspath(source)), "_blank", 0,
                (_property("Hidden", True),))
            if document is None:
                raise SystemExit(f"LibreOffice could not open {source}")
            for insert in inserts:
                sheet_name, row = insert.rsplit(":", 1)
                sheet = document.Sheets.getByName(sheet_name)
                if sheet.isProtected():  # the template protects its sheets without a password
                    sheet.unprotect("")
                sheet.Rows.insertByIndex(int(row) - 1, 1)
            document.storeToURL(uno.systemPathToFileUrl(os.path.abspath(target)),
                                (_property("FilterName", "Calc MS Excel 2007 XML"),))
            document.close(True)
        finally:
            try:
                desktop.terminate()
            except Exception:
                pass
    finally:
        try:
            office.wait(timeout=20)
        except subprocess.TimeoutExpired:
            office.kill()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
