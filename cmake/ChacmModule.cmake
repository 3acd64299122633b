# Program modules: every server or application is its own loadable module,
# compiled freestanding against <l4/*.h> and servers/lib only.  Its only
# undefined symbols may be the hosted kernel's entry points (__L4_hosted_*);
# tests/modules_undef.sh checks that for every module.

execute_process(COMMAND ${CMAKE_C_COMPILER} -print-file-name=include
                OUTPUT_VARIABLE CHACM_CC_INCLUDE OUTPUT_STRIP_TRAILING_WHITESPACE)

add_library(chacm_freestanding INTERFACE)
target_compile_options(chacm_freestanding INTERFACE
  -ffreestanding -fno-stack-protector -fno-builtin -fvisibility=hidden
  -fno-omit-frame-pointer -nostdinc -isystem ${CHACM_CC_INCLUDE})
target_compile_definitions(chacm_freestanding INTERFACE L4_ARCH=${CHACM_L4_ARCH})
target_include_directories(chacm_freestanding INTERFACE
  ${CMAKE_SOURCE_DIR}/l4shim/include ${CMAKE_SOURCE_DIR}/servers/lib/include)

set_property(GLOBAL PROPERTY CHACM_MODULES "")

# chacm_module(NAME SOURCES src... [LIBS lib...])
# Builds modules/NAME.so from the sources, servers/lib and the arch's crt0.
function(chacm_module name)
  cmake_parse_arguments(M "" "" "SOURCES;LIBS" ${ARGN})
  add_library(${name} MODULE ${M_SOURCES} $<TARGET_OBJECTS:chacm_crt0>)
  target_link_libraries(${name} PRIVATE chacm_freestanding ${M_LIBS} chacm_lib)
  target_link_options(${name} PRIVATE -nostdlib -Wl,-z,now -Wl,-z,noexecstack)
  set_target_properties(${name} PROPERTIES PREFIX "" SUFFIX ".so"
    LIBRARY_OUTPUT_DIRECTORY ${CHACM_MODULE_DIR})
  set_property(GLOBAL APPEND PROPERTY CHACM_MODULES ${name})
endfunction()
