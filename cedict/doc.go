// Package cedict expands English words and short phrases into candidate
// Chinese (simplified) words using the CC-CEDICT Chinese-English dictionary,
// entirely offline.
//
// [Parse] reads the CC-CEDICT text format and builds an inverted index from
// English gloss words to dictionary senses; [Dict.Lookup] then answers in
// microseconds. [Default] parses the copy of the dictionary embedded in the
// package. [Lemmas] and [IsStopword] help callers turn a question into
// lookup terms.
//
// # Data and licence
//
// data/cedict.u8.gz is the CC-CEDICT release of 2023-08-09T07:27:59Z
// (121,659 entries), published by MDBG under the Creative Commons
// Attribution-ShareAlike 4.0 International licence
// (https://www.mdbg.net/chinese/dictionary?page=cc-cedict). It is MDBG's
// cedict_ts.u8 unmodified apart from gzip compression, taken from the npm
// package chinese-tokenizer-dict-included@1.0.0 by scripts/fetch-cedict.sh,
// which pins the package's integrity hash. data/LICENSE-CC-CEDICT.txt holds
// the licence notice and the release header; the notice must travel with
// the data and with anything derived from it.
package cedict
