"""The guest command line: kernel args, then ` -- `, then the app's argv, each arg quoted.

The kernel (kernel/cmdline.h) splits on blanks, groups "..." (an empty pair is an empty
word) and lets a backslash escape the next character; the first bare `--` ends the
kernel arguments. split_cmdline() is the host-side mirror used by the tests."""

BLANKS = " \t\n\r"


def quote_arg(arg):
    """One argument wrapped in double quotes, with `"` and `\\` escaped by a backslash."""
    return '"' + arg.replace("\\", "\\\\").replace('"', '\\"') + '"'


def guest_cmdline(kernel_args, argv0, app_args, kernel_words=()):
    """The -append string. argv[0] is always present, so ` -- ` is always there.
    kernel_words (runenv.py's hostname=, workdir=, env=...) go first, quoted; the
    user's own kernel_args after them, as given."""
    words = [quote_arg(w) for w in kernel_words]
    if kernel_args and kernel_args.strip():
        words.append(kernel_args.strip())
    words.append("--")
    words.extend(quote_arg(a) for a in [argv0, *app_args])
    return " ".join(words)


def split_cmdline(text):
    """(kernel_args, app_args) as the guest's parser sees `text`; ValueError on a bad quote."""
    words, bare = [], []
    i, n = 0, len(text)
    while i < n:
        if text[i] in BLANKS:
            i += 1
            continue
        word, quoted, in_quotes = [], False, False
        while i < n and (in_quotes or text[i] not in BLANKS):
            ch = text[i]
            if ch == "\\":
                if i + 1 >= n:
                    raise ValueError("trailing backslash")
                word.append(text[i + 1])
                quoted = True
                i += 2
                continue
            if ch == '"':
                in_quotes, quoted = not in_quotes, True
            else:
                word.append(ch)
            i += 1
        if in_quotes:
            raise ValueError("unterminated double quote")
        words.append("".join(word))
        bare.append(not quoted)
    for index, (word, is_bare) in enumerate(zip(words, bare)):
        if is_bare and word == "--":
            return words[:index], words[index + 1:]
    return words, []
