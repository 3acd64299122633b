# Program modules: every server or application is its own loadable module,
# compiled freestanding against <l4/*.h> and servers/lib only.  Its only
# undefined symbols may be the hosted kernel's entry points (__L4_hosted_*);
# tests/module_symbols.sh checks that for every module.  The same function
# serves the tree and programs built against the installed SDK: it needs
# the targets chacm_freestanding, chacm_lib and chacm_crt0 and the variable
# CHACM_MODULE_DIR (where modules go).
# For ia32 (CHACM_L4_ARCH=ia32) each program is instead a static ELF32
# executable at its own link address (tests/ia32/elf_check.sh).

set_property(GLOBAL PROPERTY CHACM_MODULES "")
set_property(GLOBAL PROPERTY CHACM_IA32_PROGRAMS "")

# servers/lib and the stub runtime are position independent where modules
# are shared objects (hosted), and not on ia32.
if(CHACM_L4_ARCH STREQUAL "ia32")
  set(CHACM_MODULE_PIC OFF)
else()
  set(CHACM_MODULE_PIC ON)
endif()

# ia32 link addresses: the programs (in the order the build defines them,
# servers/ sorted by name) follow each other from CHACM_IA32_LINK_BASE,
# each in a span of its own: 4 MiB, or what its chacm_module() asks for
# with IA32_SPAN (MiB; a program with a large bss, such as sigma0's page
# tables or filesvr's block cache).  20 MiB is above the kernel (1 MiB),
# kickstart (8 MiB) and the boot modules GRUB puts right after kickstart
# (up to 12 MiB of them: the programs' files and the 8 MiB boot disk),
# since kickstart loads each program to its link address and refuses one
# that lies over a module.  Programs kickstart loads must end below the
# machine's memory less the kernel's 16 MiB (scripts/mkboot-ia32 checks
# both); ia32.elf fails when a program outgrows its span.
set(CHACM_IA32_LINK_BASE 0x01400000)
set(CHACM_IA32_SPAN_MB 4)
set_property(GLOBAL PROPERTY CHACM_IA32_NEXT ${CHACM_IA32_LINK_BASE})

# chacm_ia32_program(NAME SOURCES... LIBS... [IA32_SPAN MiB]): the ia32
# form of chacm_module.
function(chacm_ia32_program name)
  cmake_parse_arguments(M "" "IA32_SPAN" "SOURCES;LIBS" ${ARGN})
  if(NOT M_IA32_SPAN)
    set(M_IA32_SPAN ${CHACM_IA32_SPAN_MB})
  endif()
  get_property(base GLOBAL PROPERTY CHACM_IA32_NEXT)
  math(EXPR next "${base} + ${M_IA32_SPAN} * 0x100000" OUTPUT_FORMAT HEXADECIMAL)
  math(EXPR base "${base}" OUTPUT_FORMAT HEXADECIMAL)
  set_property(GLOBAL PROPERTY CHACM_IA32_NEXT ${next})
  add_executable(${name} ${M_SOURCES} $<TARGET_OBJECTS:chacm_crt0>)
  target_link_libraries(${name} PRIVATE chacm_freestanding ${M_LIBS} chacm_lib gcc)
  target_link_options(${name} PRIVATE -nostdlib -static -Wl,-Ttext-segment=${base}
    -Wl,-z,max-page-size=0x1000 -Wl,-z,noexecstack -Wl,--build-id=none)
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CHACM_MODULE_DIR})
  set_property(GLOBAL APPEND PROPERTY CHACM_IA32_PROGRAMS "${name} ${base} ${CMAKE_CURRENT_SOURCE_DIR}")
  set_property(GLOBAL APPEND PROPERTY CHACM_MODULES ${name})
endfunction()

# chacm_module(NAME SOURCES src... [LIBS lib...] [IA32_SPAN MiB])
# Builds ${CHACM_MODULE_DIR}/NAME.so from the sources, servers/lib and the
# arch's crt0 (IA32_SPAN matters only on ia32, see above).  With
# CHACM_INSTALL_MODULES set, cmake --install puts it into the SDK's
# lib/chacmsim/modules.
# For ia32: ${CHACM_MODULE_DIR}/NAME, a static executable.
function(chacm_module name)
  if(CHACM_L4_ARCH STREQUAL "ia32")
    chacm_ia32_program(${name} ${ARGN})
    return()
  endif()
  cmake_parse_arguments(M "" "IA32_SPAN" "SOURCES;LIBS" ${ARGN})
  add_library(${name} MODULE ${M_SOURCES} $<TARGET_OBJECTS:chacm_crt0>)
  target_link_libraries(${name} PRIVATE chacm_freestanding ${M_LIBS} chacm_lib)
  target_link_options(${name} PRIVATE -nostdlib -Wl,-z,now -Wl,-z,noexecstack)
  set_target_properties(${name} PROPERTIES PREFIX "" SUFFIX ".so"
    LIBRARY_OUTPUT_DIRECTORY ${CHACM_MODULE_DIR})
  set_property(GLOBAL APPEND PROPERTY CHACM_MODULES ${name})
  if(CHACM_INSTALL_MODULES)
    install(TARGETS ${name} LIBRARY DESTINATION lib/chacmsim/modules)
  endif()
endfunction()
