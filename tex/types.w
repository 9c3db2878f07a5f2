@q types.w: read by the limbo of the master web; it tells cweave to @>
@q typeset these names as types, which it does not know by itself. @>
@s uint8_t int
@s uint16_t int
@s uint32_t int
@s uint64_t int
@s int8_t int
@s int16_t int
@s int32_t int
@s int64_t int
@s uintptr_t int
@s ssize_t int
@s gzFile int
@s restrict const
@s _Noreturn static
@s __m128i int
@s __m256 int
@s __m256i int
@s __m256bh int
@s __m512 int
@s __m512i int
@s __mmask16 int
