-- os.exit with a status: buffered output is flushed and the status reaches skiff run.
io.write("flushed before exit")
os.exit(3)
