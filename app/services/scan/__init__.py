"""Reading scanned answer sheets back into scored attempts (issue 16).

Modules by noun: sheet_code (the QR payload), images (uploads to pages), geometry (corner marks,
warp), bubbles (fill measure, classification), reader (one page to a reading), store (kept
uploads, checksums, needs-review sheets, attempts). OpenCV is imported by geometry, bubbles and
images only, and those are imported on the scan path only: serving exams does not carry it.
"""
