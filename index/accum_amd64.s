//go:build amd64 && !purego

#include "textflag.h"

// func accumRowsAVX2(s *float32, rows int, cols **int8, w *float32, ncols int)
//
// For each 32-row chunk of s (rows is a multiple of 32), adds w[j]*cols[j][r]
// for j = 0..ncols-1 in that order, each product and sum rounded to float32
// exactly as the scalar loop (accumRowsGo) does (multiply, then add; no
// fused multiply-add), so the sums are bit-identical (a NaN may carry
// another payload).
TEXT ·accumRowsAVX2(SB), NOSPLIT, $0-40
	MOVQ s+0(FP), DI
	MOVQ rows+8(FP), BX
	MOVQ cols+16(FP), SI
	MOVQ w+24(FP), DX
	MOVQ ncols+32(FP), CX
	XORQ R8, R8

rowloop:
	CMPQ R8, BX
	JGE  done
	VMOVUPS (DI), Y0
	VMOVUPS 32(DI), Y1
	VMOVUPS 64(DI), Y2
	VMOVUPS 96(DI), Y3
	XORQ    R9, R9

colloop:
	CMPQ         R9, CX
	JGE          store
	MOVQ         (SI)(R9*8), R10
	ADDQ         R8, R10
	VBROADCASTSS (DX)(R9*4), Y4
	VPMOVSXBD    (R10), Y5
	VPMOVSXBD    8(R10), Y6
	VPMOVSXBD    16(R10), Y7
	VPMOVSXBD    24(R10), Y8
	VCVTDQ2PS    Y5, Y5
	VCVTDQ2PS    Y6, Y6
	VCVTDQ2PS    Y7, Y7
	VCVTDQ2PS    Y8, Y8
	VMULPS       Y4, Y5, Y5
	VMULPS       Y4, Y6, Y6
	VMULPS       Y4, Y7, Y7
	VMULPS       Y4, Y8, Y8
	VADDPS       Y5, Y0, Y0
	VADDPS       Y6, Y1, Y1
	VADDPS       Y7, Y2, Y2
	VADDPS       Y8, Y3, Y3
	INCQ         R9
	JMP          colloop

store:
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, 64(DI)
	VMOVUPS Y3, 96(DI)
	ADDQ    $128, DI
	ADDQ    $32, R8
	JMP     rowloop

done:
	VZEROUPPER
	RET
