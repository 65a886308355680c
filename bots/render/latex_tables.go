package render

// The tables below are read-only lookup data.

// mathSymbols maps LaTeX commands (without the backslash) to Unicode.
var mathSymbols = map[string]string{
	// Greek, lower case.
	"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε",
	"varepsilon": "ε", "zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ",
	"iota": "ι", "kappa": "κ", "varkappa": "ϰ", "lambda": "λ", "mu": "μ",
	"nu": "ν", "xi": "ξ", "omicron": "ο", "pi": "π", "varpi": "ϖ", "rho": "ρ",
	"varrho": "ϱ", "sigma": "σ", "varsigma": "ς", "tau": "τ", "upsilon": "υ",
	"phi": "φ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
	"digamma": "ϝ",
	// Greek, upper case.
	"Alpha": "Α", "Beta": "Β", "Gamma": "Γ", "Delta": "Δ", "Epsilon": "Ε",
	"Zeta": "Ζ", "Eta": "Η", "Theta": "Θ", "Iota": "Ι", "Kappa": "Κ",
	"Lambda": "Λ", "Mu": "Μ", "Nu": "Ν", "Xi": "Ξ", "Omicron": "Ο", "Pi": "Π",
	"Rho": "Ρ", "Sigma": "Σ", "Tau": "Τ", "Upsilon": "Υ", "Phi": "Φ",
	"Chi": "Χ", "Psi": "Ψ", "Omega": "Ω", "varGamma": "Γ", "varDelta": "Δ",
	"varTheta": "Θ", "varLambda": "Λ", "varPi": "Π", "varSigma": "Σ",
	"varPhi": "Φ", "varPsi": "Ψ", "varOmega": "Ω",
	// Binary operators.
	"times": "×", "div": "÷", "pm": "±", "mp": "∓", "cdot": "·", "ast": "∗",
	"star": "⋆", "circ": "∘", "bullet": "•", "cap": "∩", "cup": "∪",
	"setminus": "∖", "wedge": "∧", "land": "∧", "vee": "∨", "lor": "∨",
	"oplus": "⊕", "ominus": "⊖", "otimes": "⊗", "odot": "⊙", "oslash": "⊘",
	"sqcup": "⊔", "sqcap": "⊓", "uplus": "⊎", "dagger": "†", "ddagger": "‡",
	"centerdot": "·", "cdotp": "·", "neg": "¬", "lnot": "¬",
	// Relations.
	"le": "≤", "leq": "≤", "leqslant": "≤", "ge": "≥", "geq": "≥",
	"geqslant": "≥", "ne": "≠", "neq": "≠", "approx": "≈", "equiv": "≡",
	"sim": "∼", "simeq": "≃", "cong": "≅", "propto": "∝", "ll": "≪", "gg": "≫",
	"lt": "<", "gt": ">", "nless": "≮", "ngtr": "≯", "nleq": "≰", "ngeq": "≱",
	"in": "∈", "notin": "∉", "ni": "∋", "subset": "⊂", "subseteq": "⊆",
	"subsetneq": "⊊", "supset": "⊃", "supseteq": "⊇", "supsetneq": "⊋",
	"perp": "⊥", "parallel": "∥", "nparallel": "∦", "mid": "∣", "nmid": "∤",
	"models": "⊨", "vdash": "⊢", "asymp": "≍", "doteq": "≐", "triangleq": "≜",
	"prec": "≺", "succ": "≻", "coloneqq": "≔",
	// Arrows.
	"to": "→", "rightarrow": "→", "leftarrow": "←", "gets": "←",
	"leftrightarrow": "↔", "Rightarrow": "⇒", "Leftarrow": "⇐",
	"Leftrightarrow": "⇔", "implies": "⟹", "impliedby": "⟸", "iff": "⟺",
	"longrightarrow": "⟶", "longleftarrow": "⟵", "Longrightarrow": "⟹",
	"Longleftarrow": "⟸", "Longleftrightarrow": "⟺", "mapsto": "↦",
	"uparrow": "↑", "downarrow": "↓", "Uparrow": "⇑", "Downarrow": "⇓",
	"updownarrow": "↕", "nearrow": "↗", "searrow": "↘", "nwarrow": "↖",
	"swarrow": "↙", "rightleftharpoons": "⇌", "hookrightarrow": "↪",
	// Big operators and calculus.
	"sum": "∑", "prod": "∏", "coprod": "∐", "int": "∫", "iint": "∬",
	"iiint": "∭", "oint": "∮", "bigcup": "⋃", "bigcap": "⋂", "bigvee": "⋁",
	"bigwedge": "⋀", "bigoplus": "⨁", "bigotimes": "⨂", "partial": "∂",
	"nabla": "∇",
	// Miscellaneous symbols.
	"infty": "∞", "angle": "∠", "measuredangle": "∡", "triangle": "△",
	"degree": "°", "circledcirc": "⊚", "cdots": "⋯", "ldots": "…", "dots": "…",
	"dotsc": "…", "dotsb": "⋯", "vdots": "⋮", "ddots": "⋱", "forall": "∀",
	"exists": "∃", "nexists": "∄", "emptyset": "∅", "varnothing": "∅",
	"therefore": "∴", "because": "∵", "prime": "′", "hbar": "ℏ", "ell": "ℓ",
	"aleph": "ℵ", "Re": "ℜ", "Im": "ℑ", "wp": "℘", "square": "□",
	"blacksquare": "■", "Box": "□", "diamond": "⋄", "lozenge": "◊",
	"checkmark": "✓", "top": "⊤", "bot": "⊥", "flat": "♭", "sharp": "♯",
	"natural": "♮", "clubsuit": "♣", "diamondsuit": "♢", "heartsuit": "♡",
	"spadesuit": "♠", "S": "§", "P": "¶", "copyright": "©", "pounds": "£",
	"euro": "€", "textdegree": "°", "celsius": "℃", "ohm": "Ω",
	"backslash": "\\", "surd": "√", "bigtriangleup": "△",
	"vartriangle": "△", "smallsetminus": "∖", "complement": "∁",
	// Delimiters.
	"langle": "⟨", "rangle": "⟩", "lfloor": "⌊", "rfloor": "⌋", "lceil": "⌈",
	"rceil": "⌉", "lbrace": "{", "rbrace": "}", "lbrack": "[", "rbrack": "]",
	"vert": "|", "lvert": "|", "rvert": "|", "Vert": "‖", "lVert": "‖",
	"rVert": "‖", "colon": ":",
	// Spacing.
	"quad": " ", "qquad": " ", "enspace": " ", "thinspace": " ",
	"medspace": " ", "thickspace": " ", "space": " ", "nobreakspace": " ",
	"negthinspace": "",
}

// mathEscapes maps one-character LaTeX commands (`\,`, `\{`, …) to Unicode.
var mathEscapes = map[byte]string{
	',': " ", ';': " ", ':': " ", ' ': " ", '>': " ", '!': "", '{': "{",
	'}': "}", '|': "‖", '%': "%", '$': "$", '&': "&", '#': "#", '_': "_",
	'^': "^", '/': "", '\n': " ", '\t': " ",
}

// superscripts maps runes to their Unicode superscript forms.
var superscripts = map[rune]rune{
	'0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶',
	'7': '⁷', '8': '⁸', '9': '⁹', '+': '⁺', '-': '⁻', '−': '⁻', '=': '⁼',
	'(': '⁽', ')': '⁾', 'a': 'ᵃ', 'b': 'ᵇ', 'c': 'ᶜ', 'd': 'ᵈ', 'e': 'ᵉ',
	'f': 'ᶠ', 'g': 'ᵍ', 'h': 'ʰ', 'i': 'ⁱ', 'j': 'ʲ', 'k': 'ᵏ', 'l': 'ˡ',
	'm': 'ᵐ', 'n': 'ⁿ', 'o': 'ᵒ', 'p': 'ᵖ', 'r': 'ʳ', 's': 'ˢ', 't': 'ᵗ',
	'u': 'ᵘ', 'v': 'ᵛ', 'w': 'ʷ', 'x': 'ˣ', 'y': 'ʸ', 'z': 'ᶻ', 'A': 'ᴬ',
	'B': 'ᴮ', 'D': 'ᴰ', 'E': 'ᴱ', 'G': 'ᴳ', 'H': 'ᴴ', 'I': 'ᴵ', 'J': 'ᴶ',
	'K': 'ᴷ', 'L': 'ᴸ', 'M': 'ᴹ', 'N': 'ᴺ', 'O': 'ᴼ', 'P': 'ᴾ', 'R': 'ᴿ',
	'T': 'ᵀ', 'U': 'ᵁ', 'V': 'ⱽ', 'W': 'ᵂ', 'α': 'ᵅ', 'β': 'ᵝ', 'γ': 'ᵞ',
	'δ': 'ᵟ', 'ε': 'ᵋ', 'θ': 'ᶿ', 'ι': 'ᶥ', 'φ': 'ᵠ', 'χ': 'ᵡ',
}

// subscripts maps runes to their Unicode subscript forms.
var subscripts = map[rune]rune{
	'0': '₀', '1': '₁', '2': '₂', '3': '₃', '4': '₄', '5': '₅', '6': '₆',
	'7': '₇', '8': '₈', '9': '₉', '+': '₊', '-': '₋', '−': '₋', '=': '₌',
	'(': '₍', ')': '₎', 'a': 'ₐ', 'e': 'ₑ', 'h': 'ₕ', 'i': 'ᵢ', 'j': 'ⱼ',
	'k': 'ₖ', 'l': 'ₗ', 'm': 'ₘ', 'n': 'ₙ', 'o': 'ₒ', 'p': 'ₚ', 'r': 'ᵣ',
	's': 'ₛ', 't': 'ₜ', 'u': 'ᵤ', 'v': 'ᵥ', 'x': 'ₓ', 'β': 'ᵦ', 'γ': 'ᵧ',
	'ρ': 'ᵨ', 'φ': 'ᵩ', 'χ': 'ᵪ',
}

// doubleStruck maps letters to their blackboard-bold forms (\mathbb).
var doubleStruck = map[rune]rune{
	'R': 'ℝ', 'N': 'ℕ', 'Z': 'ℤ', 'Q': 'ℚ', 'C': 'ℂ', 'P': 'ℙ', 'H': 'ℍ',
	'E': '𝔼', 'F': '𝔽', 'K': '𝕂', '1': '𝟙',
}

// accents maps accent commands to the combining mark they put on a letter.
var accents = map[string]rune{
	"overline": '\u0305', "bar": '\u0304', "underline": '\u0332',
	"underbar": '\u0332', "vec": '\u20D7', "overrightarrow": '\u20D7',
	"overleftarrow": '\u20D6', "overleftrightarrow": '\u20E1',
	"hat": '\u0302', "widehat": '\u0302', "tilde": '\u0303',
	"widetilde": '\u0303', "dot": '\u0307', "ddot": '\u0308',
	"check": '\u030C', "breve": '\u0306', "acute": '\u0301',
	"grave": '\u0300', "mathring": '\u030A',
}

// textCommands keep their argument as plain text.
var textCommands = map[string]bool{
	"text": true, "textrm": true, "textnormal": true, "textup": true,
	"textbf": true, "textit": true, "textsf": true, "texttt": true,
	"textsl": true, "emph": true, "mbox": true, "hbox": true, "mathrm": true,
	"mathbf": true, "mathit": true, "mathsf": true, "mathtt": true,
	"mathnormal": true, "mathcal": true, "mathscr": true, "mathfrak": true,
	"boldsymbol": true, "bm": true, "pmb": true, "operatorname": true,
	"mathop": true, "mathord": true, "mathbin": true, "mathrel": true, "underbrace": true, "overbrace": true,
	"ensuremath": true,
}

// ignoredCommands produce nothing and take no argument.
var ignoredCommands = map[string]bool{
	"displaystyle": true, "textstyle": true, "scriptstyle": true,
	"scriptscriptstyle": true, "limits": true, "nolimits": true,
	"nonumber": true, "notag": true, "hline": true,
	"centering": true, "noindent": true, "allowbreak": true, "relax": true, "strut": true, "mathstrut": true,
	"normalsize": true, "small": true, "large": true, "Large": true,
	"huge": true, "tiny": true, "footnotesize": true, "bf": true, "it": true,
	"rm": true, "sf": true, "tt": true, "cal": true,
}

// skipArgCommands drop their (first) braced argument.
var skipArgCommands = map[string]bool{
	"phantom": true, "hphantom": true, "vphantom": true, "label": true,
	"color": true, "vspace": true,
}

// delimiterSizers precede a delimiter (\left( … \right)).
var delimiterSizers = map[string]bool{
	"left": true, "right": true, "middle": true, "big": true, "Big": true,
	"bigg": true, "Bigg": true, "bigl": true, "bigr": true, "Bigl": true,
	"Bigr": true, "biggl": true, "biggr": true, "Biggl": true, "Biggr": true,
	"bigm": true, "Bigm": true,
}

// matrixDelims gives the brackets an environment is drawn with.
var matrixDelims = map[string][2]string{
	"matrix": {"", ""}, "smallmatrix": {"", ""}, "pmatrix": {"(", ")"},
	"bmatrix": {"[", "]"}, "Bmatrix": {"{", "}"}, "vmatrix": {"|", "|"},
	"Vmatrix": {"‖", "‖"}, "array": {"", ""}, "cases": {"{ ", " }"},
	"rcases": {"", " }"}, "dcases": {"{ ", " }"},
}

// negations maps a relation to its negation (\not=, \not\in).
var negations = map[string]string{
	"=": "≠", "<": "≮", ">": "≯", "∈": "∉", "≡": "≢", "⊂": "⊄",
	"⊆": "⊈", "⊃": "⊅", "⊇": "⊉", "∣": "∤", "|": "∤", "∥": "∦",
	"∃": "∄", "∼": "≁", "≈": "≉", "≤": "≰", "≥": "≱", "≅": "≇",
}

// arrows maps extensible arrows (\xrightarrow{label}) to plain arrows.
var arrows = map[string]string{
	"xrightarrow": "→", "xleftarrow": "←", "xRightarrow": "⇒",
}
