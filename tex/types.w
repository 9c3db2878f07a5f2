@q types.w -- @i-included by the master web's limbo: how cweave should @>
@q typeset names that are types but that it does not know as such.     @>
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
