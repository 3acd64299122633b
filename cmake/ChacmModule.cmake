# Program modules: every server or application is its own loadable module,
# compiled freestanding against <l4/*.h> and servers/lib only.  Its only
# undefined symbols may be the hosted kernel's entry points (__L4_hosted_*);
# tests/module_symbols.sh checks that for every module.  The same function
# serves the tree and programs built against the installed SDK: it needs
# the targets chacm_freestanding, chacm_lib and chacm_crt0 and the variable
# CHACM_MODULE_DIR (where modules go).

set_property(GLOBAL PROPERTY CHACM_MODULES "")

# chacm_module(NAME SOURCES src... [LIBS lib...])
# Builds ${CHACM_MODULE_DIR}/NAME.so from the sources, servers/lib and the
# arch's crt0.  With CHACM_INSTALL_MODULES set, cmake --install puts it
# into the SDK's lib/chacmsim/modules.
function(chacm_module name)
  cmake_parse_arguments(M "" "" "SOURCES;LIBS" ${ARGN})
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
