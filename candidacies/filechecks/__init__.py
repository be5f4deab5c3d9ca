"""What an uploaded document does, read from its bytes: archives unpacked as a stream under a byte budget, their
content types and relationships; PDFs walked object by object. Jurors open these files in Word, LibreOffice or a PDF
reader: anything that would run, fetch or unpack by itself there is refused here, with a Dutch message that says
what to do instead."""
