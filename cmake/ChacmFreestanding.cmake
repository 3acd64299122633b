# The compile flags of program modules: freestanding C against <l4/*.h> and
# servers/lib's headers only.  Used by the tree (chacm_freestanding) and by
# the installed SDK's package (ChacmsimConfig.cmake), so both build modules
# the same way.

# chacm_freestanding_setup(TARGET ARCH INCLUDE_DIR...)
# Gives the INTERFACE (or imported INTERFACE) library TARGET the module flags.
function(chacm_freestanding_setup target arch)
  execute_process(COMMAND ${CMAKE_C_COMPILER} -print-file-name=include
                  OUTPUT_VARIABLE cc_include OUTPUT_STRIP_TRAILING_WHITESPACE)
  target_compile_options(${target} INTERFACE
    -ffreestanding -fno-stack-protector -fno-builtin -fvisibility=hidden
    -fno-omit-frame-pointer -nostdinc -isystem ${cc_include})
  target_compile_definitions(${target} INTERFACE L4_ARCH=${arch})
  target_include_directories(${target} INTERFACE ${ARGN})
endfunction()
