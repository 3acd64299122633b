# The hosted build's ia32 sub-build: configures and builds this source tree
# for ia32 (cmake/ChacmCross.cmake) in ${CMAKE_BINARY_DIR}/ia32 with the
# host's chacm-idl, on every build, so that a program that does not
# cross-build fails the normal build.  tests/ia32 checks the result.
include(ExternalProject)

execute_process(COMMAND ${CMAKE_C_COMPILER} -m32 -print-file-name=libgcc.a
                OUTPUT_VARIABLE _libgcc32 OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT IS_ABSOLUTE "${_libgcc32}" OR NOT EXISTS "${_libgcc32}")
  message(FATAL_ERROR "CHACM_IA32: ${CMAKE_C_COMPILER} -m32 has no 32-bit libgcc; "
                      "install gcc-multilib (scripts/deps does) or configure with -DCHACM_IA32=OFF")
endif()

set(CHACM_IA32_DIR ${CMAKE_BINARY_DIR}/ia32)
ExternalProject_Add(ia32
  SOURCE_DIR ${CMAKE_SOURCE_DIR}
  BINARY_DIR ${CHACM_IA32_DIR}
  CMAKE_GENERATOR Ninja
  CMAKE_ARGS -DCMAKE_TOOLCHAIN_FILE=${CMAKE_SOURCE_DIR}/cmake/toolchain-ia32.cmake
             -DCMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE}
             -DCHACM_IDLC=$<TARGET_FILE:chacm-idl>
  BUILD_ALWAYS ON
  INSTALL_COMMAND ""
  DEPENDS chacm-idl)
