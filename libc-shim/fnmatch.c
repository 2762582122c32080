/* fnmatch(): shell wildcards * ? [set] [!set] with FNM_NOESCAPE, FNM_PATHNAME, FNM_PERIOD and FNM_CASEFOLD. */
#define _GNU_SOURCE
#include <ctype.h>
#include <fnmatch.h>

static int fold(int c, int flags)
{
	return flags & FNM_CASEFOLD ? tolower(c) : c;
}

/* Match one bracket expression at *pp against c; advance *pp past it.
 * Returns 1 match, 0 no match, -1 malformed (then '[' is literal). */
static int bracket(const char **pp, int c, int flags)
{
	const char *p = *pp + 1;
	int negate = 0, ok = 0;

	if (*p == '!' || *p == '^') {
		negate = 1;
		p++;
	}
	for (int first = 1; *p && (first || *p != ']'); first = 0) {
		int lo = (unsigned char)*p++, hi;
		if (lo == '\\' && !(flags & FNM_NOESCAPE) && *p)
			lo = (unsigned char)*p++;
		hi = lo;
		if (*p == '-' && p[1] && p[1] != ']') {
			hi = (unsigned char)p[1];
			p += 2;
			if (hi == '\\' && !(flags & FNM_NOESCAPE) && *p)
				hi = (unsigned char)*p++;
		}
		if (fold(c, flags) >= fold(lo, flags) && fold(c, flags) <= fold(hi, flags))
			ok = 1;
	}
	if (*p != ']')
		return -1;
	*pp = p + 1;
	return ok != negate;
}

static int match(const char *p, const char *s, const char *start, int flags)
{
	for (;;) {
		int c = (unsigned char)*s;
		int leading_period = c == '.' && (flags & FNM_PERIOD) &&
				     (s == start || ((flags & FNM_PATHNAME) && s[-1] == '/'));
		switch (*p) {
		case '\0':
			return c == '\0' ? 0 : FNM_NOMATCH;
		case '?':
			if (!c || (c == '/' && (flags & FNM_PATHNAME)) || leading_period)
				return FNM_NOMATCH;
			p++, s++;
			break;
		case '*':
			while (*p == '*')
				p++;
			if (leading_period)
				return FNM_NOMATCH;
			for (;; s++) {
				if (match(p, s, start, flags & ~FNM_PERIOD) == 0)
					return 0;
				if (!*s || (*s == '/' && (flags & FNM_PATHNAME)))
					return FNM_NOMATCH;
			}
		case '[': {
			const char *q = p;
			int r;
			if (!c || (c == '/' && (flags & FNM_PATHNAME)) || leading_period)
				return FNM_NOMATCH;
			r = bracket(&q, c, flags);
			if (r < 0) { /* not a set: a literal '[' */
				if (c != '[')
					return FNM_NOMATCH;
				p++, s++;
			} else if (r == 0) {
				return FNM_NOMATCH;
			} else {
				p = q;
				s++;
			}
			break;
		}
		case '\\':
			if (!(flags & FNM_NOESCAPE) && p[1])
				p++;
			/* fall through */
		default:
			if (fold((unsigned char)*p, flags) != fold(c, flags))
				return FNM_NOMATCH;
			p++, s++;
		}
	}
}

int fnmatch(const char *pattern, const char *string, int flags)
{
	return match(pattern, string, string, flags);
}
