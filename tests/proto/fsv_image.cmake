# Writes IN (a file) as a C array: OUT.c defines fsv_image, OUT.h declares it
# with FSV_IMAGE_BYTES.  Usage: cmake -DIN=file -DOUT=prefix -P fsv_image.cmake
file(READ ${IN} _hex HEX)
string(LENGTH "${_hex}" _n)
math(EXPR _bytes "${_n} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," _c "${_hex}")
file(WRITE ${OUT}.h "/* Generated from an ext2 image by fsv_image.cmake; do not edit. */\n#define FSV_IMAGE_BYTES ${_bytes}\nextern const unsigned char fsv_image[FSV_IMAGE_BYTES];\n")
file(WRITE ${OUT}.c "/* Generated from an ext2 image by fsv_image.cmake; do not edit. */\n#include \"fsv_image.h\"\nconst unsigned char fsv_image[FSV_IMAGE_BYTES] = {${_c}};\n")
