"""Reading a test client's answer whole, whether it was built at once or streamed (downloads, files)."""


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content
