package render

import (
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// mdParser parses CommonMark with GFM tables, task lists and ~~strike~~.
// It is built once, never modified, and goldmark parsers are safe for
// concurrent use.
var mdParser = newMarkdownParser()

func newMarkdownParser() parser.Parser {
	return parser.NewParser(
		parser.WithBlockParsers(parser.DefaultBlockParsers()...),
		parser.WithInlineParsers(
			util.Prioritized(parser.NewCodeSpanParser(), 100),
			util.Prioritized(parser.NewLinkParser(), 200),
			util.Prioritized(parser.NewAutoLinkParser(), 300),
			util.Prioritized(parser.NewRawHTMLParser(), 400),
			util.Prioritized(emphasisParser{}, 500),
			util.Prioritized(strikeParser{}, 500),
			util.Prioritized(extension.NewTaskCheckBoxParser(), 0),
		),
		parser.WithParagraphTransformers(
			util.Prioritized(parser.LinkReferenceParagraphTransformer, 100),
			util.Prioritized(extension.NewTableParagraphTransformer(), 200),
		),
		parser.WithASTTransformers(
			util.Prioritized(extension.NewTableASTTransformer(), 0),
		),
	)
}

// parseMarkdown parses md into a goldmark document.
func parseMarkdown(md []byte) ast.Node {
	return mdParser.Parse(text.NewReader(md))
}

// emphasisParser parses *emphasis* and __strong__ like goldmark's, but
// CJK-friendly: a delimiter run next to a CJK character may open or close
// even when punctuation is on its other side, so "**答案：**是" is bold.
type emphasisParser struct{}

// Trigger implements parser.InlineParser.
func (emphasisParser) Trigger() []byte { return []byte{'*', '_'} }

// Parse implements parser.InlineParser.
func (emphasisParser) Parse(_ ast.Node, block text.Reader, pc parser.Context) ast.Node {
	return pushDelimiter(block, pc, emphasisDelimiters{}, 0)
}

// strikeParser parses ~~strikethrough~~. A single tilde is left alone: in
// homework answers it means "about" or a range (3~5).
type strikeParser struct{}

// Trigger implements parser.InlineParser.
func (strikeParser) Trigger() []byte { return []byte{'~'} }

// Parse implements parser.InlineParser.
func (strikeParser) Parse(_ ast.Node, block text.Reader, pc parser.Context) ast.Node {
	return pushDelimiter(block, pc, strikeDelimiters{}, 2)
}

// pushDelimiter scans a delimiter run at the reader and pushes it; exact,
// when non-zero, is the only run length accepted.
func pushDelimiter(block text.Reader, pc parser.Context, p parser.DelimiterProcessor, exact int) ast.Node {
	before := block.PrecendingCharacter()
	line, segment := block.PeekLine()
	d := scanDelimiter(line, before, p)
	if d == nil || (exact != 0 && (d.OriginalLength != exact || before == rune(d.Char))) {
		return nil
	}
	d.Segment = segment.WithStop(segment.Start + d.OriginalLength)
	block.Advance(d.OriginalLength)
	pc.PushDelimiter(d)
	return d
}

// scanDelimiter is parser.ScanDelimiter with CJK-friendly flanking rules.
func scanDelimiter(line []byte, before rune, p parser.DelimiterProcessor) *parser.Delimiter {
	if len(line) == 0 || !p.IsDelimiter(line[0]) {
		return nil
	}
	c := line[0]
	j := 1
	for j < len(line) && line[j] == c {
		j++
	}
	after := ' '
	if j < len(line) {
		after = util.ToRune(line, j)
	}
	beforePunct, beforeSpace := util.IsPunctRune(before), util.IsSpaceRune(before)
	afterPunct, afterSpace := util.IsPunctRune(after), util.IsSpaceRune(after)
	left := !afterSpace && (!afterPunct || beforeSpace || beforePunct || isCJK(before))
	right := !beforeSpace && (!beforePunct || afterSpace || afterPunct || isCJK(after))
	canOpen, canClose := left, right
	if c == '_' {
		canOpen = left && (!right || beforePunct)
		canClose = right && (!left || afterPunct)
	}
	if c == '*' && isOperatorStar(before, after, j) {
		canOpen, canClose = false, false
	}
	return parser.NewDelimiter(canOpen, canClose, j, c, p)
}

// isOperatorStar reports whether a run of n stars between before and after
// is arithmetic rather than emphasis: 2*3*4, a**2, 答案是3*4. Stars between
// two ASCII letters or digits never emphasise (intraword emphasis is rare
// in answers, products and powers are common); a single star between a
// digit and a CJK character neither, while "是**3**" stays bold.
func isOperatorStar(before, after rune, n int) bool {
	if isASCIIAlnum(before) && isASCIIAlnum(after) {
		return true
	}
	digitCJK := (isDigitRune(before) && isCJK(after)) || (isCJK(before) && isDigitRune(after))
	return n == 1 && digitCJK
}

func isASCIIAlnum(r rune) bool {
	return r < utf8.RuneSelf && (isASCIILetter(byte(r)) || isDigit(byte(r)))
}

func isDigitRune(r rune) bool { return r >= '0' && r <= '9' }

// isCJK reports whether r is a Chinese, Japanese or Korean character or
// full-width punctuation.
func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		(r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF)
}

type emphasisDelimiters struct{}

func (emphasisDelimiters) IsDelimiter(b byte) bool { return b == '*' || b == '_' }

func (emphasisDelimiters) CanOpenCloser(opener, closer *parser.Delimiter) bool {
	return opener.Char == closer.Char
}

func (emphasisDelimiters) OnMatch(consumes int) ast.Node { return ast.NewEmphasis(consumes) }

type strikeDelimiters struct{}

func (strikeDelimiters) IsDelimiter(b byte) bool { return b == '~' }

func (strikeDelimiters) CanOpenCloser(opener, closer *parser.Delimiter) bool {
	return opener.Char == closer.Char
}

func (strikeDelimiters) OnMatch(int) ast.Node { return east.NewStrikethrough() }
