// ignored
