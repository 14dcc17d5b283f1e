package corpus

import (
	"errors"
	"strings"
	"testing"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/simplifiedchinese"
	xunicode "golang.org/x/text/encoding/unicode"
)

const sampleZH = "各位代表：\n现在，我代表区人民政府向大会报告政府工作，请予审议。“通武廊”新增就业3.4万人。\n"

func encodeWith(t testing.TB, enc interface{ Bytes([]byte) ([]byte, error) }, s string) []byte {
	t.Helper()
	b, err := enc.Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	return b
}

func TestDecode(t *testing.T) {
	t.Parallel()
	gbk := encodeWith(t, simplifiedchinese.GBK.NewEncoder(), sampleZH)
	gb18030 := encodeWith(t, simplifiedchinese.GB18030.NewEncoder(), sampleZH+"𠀀€")
	utf16 := encodeWith(t, xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM).NewEncoder(), sampleZH)
	utf16BE := encodeWith(t, xunicode.UTF16(xunicode.BigEndian, xunicode.UseBOM).NewEncoder(), sampleZH)
	utf16NoBOM := encodeWith(t, xunicode.UTF16(xunicode.LittleEndian, xunicode.IgnoreBOM).NewEncoder(), sampleZH)
	utf16BENoBOM := encodeWith(t, xunicode.UTF16(xunicode.BigEndian, xunicode.IgnoreBOM).NewEncoder(), sampleZH)
	utf32 := append([]byte{0xFF, 0xFE, 0, 0}, encodeWith(t, xunicode.UTF16(xunicode.LittleEndian, xunicode.IgnoreBOM).NewEncoder(), "正文")...)
	tests := []struct {
		name    string
		in      []byte
		want    string
		wantErr error
	}{
		{"utf-8", []byte(sampleZH), sampleZH, nil},
		{"utf-8 with BOM", append([]byte{0xEF, 0xBB, 0xBF}, sampleZH...), sampleZH, nil},
		{"ascii", []byte("hello\n"), "hello\n", nil},
		{"empty", nil, "", nil},
		{"gbk", gbk, sampleZH, nil},
		{"gb18030 four-byte", gb18030, sampleZH + "𠀀€", nil},
		{"utf-16 with BOM", utf16, sampleZH, nil},
		{"utf-16 big-endian with BOM", utf16BE, sampleZH, nil},
		{"utf-16 BOM only", []byte{0xFE, 0xFF}, "", nil},
		{"utf-16 odd length", append(utf16, 'x'), "", ErrEncoding},
		{"utf-16 lone surrogate", append(utf16, 0x3D, 0xD8), "", ErrEncoding},
		{"utf-16 without BOM", utf16NoBOM, "", ErrEncoding},
		{"utf-16 big-endian without BOM", utf16BENoBOM, "", ErrEncoding},
		{"utf-32 with BOM", utf32, "", ErrBinary},
		{"latin-1", []byte("caf\xe9 r\xe9sum\xe9 na\xefve"), "", ErrEncoding},
		{"invalid bytes", []byte("ok \xff\xfe\xfd\xfc"), "", ErrEncoding},
		{"truncated gbk", gbk[:len(gbk)-2], "", ErrEncoding}, // cut inside "。"
		{"nul byte", []byte("abc\x00def"), "", ErrBinary},
		{"png header", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "", ErrBinary},
		{"control garbage", []byte(strings.Repeat("a\x01\x02\x03", 10)), "", ErrBinary},
		{"one stray control", []byte(strings.Repeat("正文", 60) + "\x01"), strings.Repeat("正文", 60) + "\x01", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := decode(tt.in)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("decode() error = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("decode() error = %v, want nil", err)
			}
			if got != tt.want {
				t.Errorf("decode() = %q, want %q", got, tt.want)
			}
		})
	}
}

// sampleJA is Japanese prose: kana, kanji and Japanese punctuation.
const sampleJA = "各位代表：現在、私は政府を代表して、大会に政府活動を報告します。ご審議をお願いします。新規雇用は3.4万人。\n"

// TestDecodeRejectsMisdecodedEncodings: Japanese in Shift-JIS decodes as
// GBK without an error, into Han characters and no punctuation
// ("奺埵戙昞丗尰嵼丄巹偼…"), and was served garbled; it is rejected with
// its reason, as is any long GBK decoding without Chinese punctuation,
// while Chinese GBK text of any length still decodes (issue 15, item 13).
func TestDecodeRejectsMisdecodedEncodings(t *testing.T) {
	t.Parallel()
	sjis := func(s string) []byte { return encodeWith(t, japanese.ShiftJIS.NewEncoder(), s) }
	gbk := func(s string) []byte { return encodeWith(t, simplifiedchinese.GBK.NewEncoder(), s) }
	// Kanji only, no kana: decodes as GBK into Han without punctuation.
	kanjiOnly := strings.Repeat("東京都議会予算案発表経済成長率見込", 10)
	tests := []struct {
		name    string
		in      []byte
		want    string // "" when an error is wanted
		wantMsg string
	}{
		{"shift-jis prose", sjis(sampleJA), "", "Shift-JIS"},
		{"shift-jis long", sjis(strings.Repeat(sampleJA, 50)), "", "Shift-JIS"},
		{"shift-jis half-width katakana", sjis("ｶﾀｶﾅのテキストです。よろしく。"), "", "Shift-JIS"},
		{"shift-jis kanji only", sjis(kanjiOnly), "", "no Chinese punctuation"},
		{"gbk short", gbk("政府工作报告"), "政府工作报告", ""},
		{"gbk prose", gbk(strings.Repeat(sampleZH, 50)), strings.Repeat(sampleZH, 50), ""},
		{"gbk with kana", gbk("日本的假名如“ひらがな”也在GBK中。" + sampleZH), "日本的假名如“ひらがな”也在GBK中。" + sampleZH, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := decode(tt.in)
			if tt.want == "" {
				if !errors.Is(err, ErrEncoding) || !strings.Contains(err.Error(), tt.wantMsg) {
					t.Fatalf("decode() = %q, %v; want ErrEncoding saying %q", got, err, tt.wantMsg)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("decode() = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestDecodeSeedAsGBK(t *testing.T) {
	t.Parallel()
	// GBK has no no-break space and no en space.
	text := strings.NewReplacer("\u00a0", " ", "\u2002", " ").Replace(readSeed(t, seed2018))
	gbk := encodeWith(t, simplifiedchinese.GBK.NewEncoder(), text)
	got, err := decode(gbk)
	if err != nil {
		t.Fatalf("decode(GBK seed) error = %v", err)
	}
	if got != text {
		t.Errorf("decode(GBK seed) differs from the UTF-8 seed")
	}
}
